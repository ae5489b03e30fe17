# expect-exit: 65
# expect-stderr-re: :6:\d+: (SyntaxError|IndentationError|TabError)
# expect-stderr-re: [Tt]ab
if True:
        x = 1
	y = 2
