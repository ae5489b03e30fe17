# expect-exit: 65
# expect-stderr: SyntaxError: invalid syntax. Perhaps you forgot a comma?
x = [1, 2
y = 3
