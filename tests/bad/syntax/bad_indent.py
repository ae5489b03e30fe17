# expect-exit: 65
# expect-stderr-re: :6:\d+: (SyntaxError|IndentationError)
# expect-stderr-re: [Ii]ndent
def f():
    x = 1
        y = 2
    return x
