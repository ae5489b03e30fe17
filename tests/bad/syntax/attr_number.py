# expect-exit: 65
# expect-stderr: SyntaxError: invalid syntax
x = 5
x.1
