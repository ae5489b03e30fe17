# Augmented assignment on names, attributes, subscripts; in-place list +=.
n = 10
n += 5; print(n)
n -= 3; print(n)
n *= 4; print(n)
n //= 5; print(n)
n %= 7; print(n)
n **= 3; print(n)
n <<= 2; print(n)
n >>= 1; print(n)
n &= 0xF0; print(n)
n |= 0x0F; print(n)
n ^= 0xFF; print(n)
f = 7
f /= 2; print(f)
s = "ab"
s += "cd"; s *= 2; print(s)
t = (1,)
t += (2, 3); print(t)
a = [1]
b = a
a += [2, 3]
print(a, b, a is b)
a = a + [4]
print(a, b, a is b)
class C:
    def __init__(self):
        self.count = 0
c = C()
for _ in range(3):
    c.count += 2
print(c.count)
d = {"k": 1}
d["k"] += 10
d["new"] = d.get("new", 0) + 1
print(d)
grid = [[0, 0], [0, 0]]
grid[1][0] += 5
grid[0][1] -= 1
print(grid)
calls = []
def idx():
    calls.append(1)
    return 0
lst = [100]
lst[idx()] += 1
print(lst, len(calls))
