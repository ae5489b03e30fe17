# expect-exit: 65
# expect-stderr-re: :3:\d+: SyntaxError
x = "café"
print(x)
