# expect-exit: 65
# expect-stderr: SyntaxError: '(' was never closed
x = (1 +
