# expect-exit: 65
# expect-stderr: SyntaxError
# expect-stderr-re: :5:\d+: SyntaxError
print("fine")
print("this string never ends)
print("after")
