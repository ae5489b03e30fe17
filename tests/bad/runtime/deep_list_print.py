# expect-exit: 70
# expect-stderr: RecursionError: maximum recursion depth exceeded while getting the rep
x = [1]
for i in range(100000):
    x = [x]
print(x)
