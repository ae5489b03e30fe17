# expect-exit: 70
# expect-stderr: RuntimeError: dictionary changed size during iteration
# expect: 1000001
x = list(range(10))
for i in x:
    x.append(i)
    if len(x) > 10**6: break
print(len(x))
d = {1: 2}
for k in d:
    d[k + 1] = 0
