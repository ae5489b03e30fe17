# expect-exit: 70
# expect-stderr: MemoryError
x = [0] * (10 ** 15)
