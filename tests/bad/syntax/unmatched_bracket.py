# expect-exit: 65
# expect-stderr: SyntaxError
# expect-stderr-re: :5:\d+: SyntaxError
xs = [1, 2, 3]
ys = (1, 2, 3]
