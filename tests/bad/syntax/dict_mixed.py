# expect-exit: 65
# expect-stderr: SyntaxError: ':' expected after dictionary key
x = {1: 2, 3}
