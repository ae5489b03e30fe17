# Slicing lists, tuples and strings: bounds, negative indices and steps,
# slice assignment and deletion.
xs = list(range(10))
print(xs[2:5], xs[:3], xs[7:], xs[-3:], xs[:-7], xs[-5:-2])
print(xs[::2], xs[1::2], xs[::3], xs[::-1], xs[::-2], xs[8:2:-1], xs[8:2:-3])
print(xs[-1:-4:-1], xs[2:8:-1], xs[100:], xs[-100:2], xs[5:100], xs[3:3])
print(xs[:100:4], xs[-2::-4], xs[1:-1:3])
t = tuple(xs)
print(t[1:4], t[::-1][:3], t[-2:])
s = "abcdefghij"
print(s[1:4], s[::-1], s[::-2], s[-3::-3], s[7:1:-2])
ys = xs[:]
ys[2:5] = ["a", "b"]
print(ys, len(ys))
ys[0:0] = [-1, -2]
print(ys)
ys[-2:] = []
print(ys)
zs = list(range(8))
del zs[1:3]
print(zs)
del zs[::2]
print(zs)
ws = list(range(6))
ws[::2] = ["x", "y", "z"]
print(ws)
print(xs == list(range(10)))
n = len(xs)
for step in (1, 2, 3, -1, -2, -4):
    print(step, xs[::step], [xs[i] for i in range(0 if step > 0 else n - 1, n if step > 0 else -1, step)] == xs[::step])
