# expect-exit: 65
# expect-stderr: SyntaxError: invalid syntax
x += 1, = 2
