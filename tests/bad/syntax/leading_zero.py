# expect-exit: 65
# expect-stderr: SyntaxError: leading zeros in decimal integer literals are n
x = 0123
