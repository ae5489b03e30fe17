# Tuple unpacking, nested targets, starred assignment, swaps.
a, b = 1, 2
(c, d), e = (3, 4), 5
[f, g] = "xy"
print(a, b, c, d, e, f, g)
first, *rest = [1, 2, 3, 4]
*init, last = range(5)
head, *middle, tail = "abcde"
print(first, rest, init, last, head, middle, tail)
x, *y = [1]
print(x, y)
p, (q, *r), s = 1, (2, 3, 4), 5
print(p, q, r, s)
a, b = b, a
print(a, b)
i, j, k = k2 = (7, 8, 9)
print(i, j, k, k2)
m = n = []
m.append(1)
print(m, n, m is n)
d = {"x": 1, "y": 2}
for key, val in d.items():
    print(key, val)
for idx, (u, (v, w)) in enumerate([(1, (2, 3)), (4, (5, 6))]):
    print(idx, u, v, w)
points = [(1, 2), (3, 4), (5, 6)]
xs = [px for px, _ in points]
print(xs, [py for _, py in points])
print([*range(3), *"ab"], (*[1, 2], 3), {**d, "z": 3}, {*[1, 1, 2]} == {1, 2})
def split3(seq):
    a, *b, c = seq
    return a, b, c
print(split3([1, 2]), split3([1, 2, 3, 4]))
try:
    a, b = [1, 2, 3]
except ValueError as ex:
    print("ValueError:", ex)
try:
    a, b, *c = [1]
except ValueError as ex:
    print("ValueError:", ex)
