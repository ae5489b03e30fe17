# expect-exit: 70
# expect-stderr: OverflowError: int too large for gilscope (64-bit ints)
print(2 ** 100)
