# expect-exit: 65
# expect-stderr-re: :7:\d+: (SyntaxError|IndentationError)
# expect-stderr-re: [Ii]ndent
if True:
        a = 1
        b = 2
    c = 3
