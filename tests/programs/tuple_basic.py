# tuples: packing, unpacking, methods, comparison, as dict keys.
t = (1, "two", 3.0, None)
print(t, len(t), t[1], t[-1], t[1:3])
single = (5,)
empty = ()
print(single, empty, len(empty), single + empty)
a, b, c, d = t
print(a, b, c, d)
p = 1, 2, 3
print(p, p.count(2), p.index(3), 2 in p, (1, 2) + (3,), (0,) * 3)
print((1, 2) < (1, 3), (1, 2, 3) > (1, 2), (2,) > (1, 9), (1, 2) == (1, 2))
grid = {(0, 0): "origin", (1, 2): "point"}
print(grid[(1, 2)], grid[0, 0], (1, 2) in grid)
nested = ((1, 2), (3, (4, 5)))
print(nested[1][1][0], len(nested))
x, y = 10, 20
x, y = y, x
print(x, y)
def minmax(seq):
    return min(seq), max(seq)
lo, hi = minmax([4, 8, 1, 9])
print(lo, hi, minmax("hello"))
print(tuple([1, 2]), tuple("ab"), tuple(range(3)), tuple())
pairs = [(2, "b"), (1, "a"), (2, "a"), (1, "b")]
print(sorted(pairs), max(pairs), min(pairs))
for i, (n, s) in enumerate(pairs):
    print(i, n, s)
print({(1, 2): "a", (1, 2): "b"})
