# expect-exit: 65
# expect-stderr: SyntaxError: invalid decimal literal
x = 1_
