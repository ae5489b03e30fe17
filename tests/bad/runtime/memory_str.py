# expect-exit: 70
# expect-stderr: MemoryError
x = "ab" * (2 ** 61)
