# expect-exit: 65
# expect-stderr: SyntaxError: invalid hexadecimal literal
x = 0xg
