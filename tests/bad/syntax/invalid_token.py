# expect-exit: 65
# expect-stderr: SyntaxError
# expect-stderr-re: :5:\d+: SyntaxError
a = 1
b = a $ 2
