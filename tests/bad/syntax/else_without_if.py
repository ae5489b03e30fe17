# expect-exit: 65
# expect-stderr: SyntaxError
# expect-stderr-re: :5:\d+: SyntaxError
x = 1
else:
    x = 2
