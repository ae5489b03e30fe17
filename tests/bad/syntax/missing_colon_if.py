# expect-exit: 65
# expect-stderr: SyntaxError
# expect-stderr-re: :6:\d+: SyntaxError
x = 3
print(x)
if x > 2
    print("big")
