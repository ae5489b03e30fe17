# expect-exit: 65
# expect-stderr: SyntaxError
# expect-stderr-re: :5:\d+: SyntaxError
print("ok")
print(len([1, 2])))
