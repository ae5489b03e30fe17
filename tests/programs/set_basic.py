# sets: literals, operations, methods (printed sorted: set order is not part of the language).
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a), len(a), 3 in a, 9 in a)
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
a.add(10); a.add(1); a.discard(2); a.discard(99); a.remove(3)
print(sorted(a))
s = set()
for w in "a b a c b d".split():
    s.add(w)
print(sorted(s), len(s))
print(sorted(set([3, 1, 3, 2])), sorted(set("hello")))
print({1, 2} == {2, 1}, {1} < {1, 2}, {1, 2} <= {1, 2}, {1, 2}.issubset({1, 2, 3}))
c = {x % 5 for x in range(20)}
print(sorted(c))
print(sorted(a.union(b)), sorted(a.intersection(b)), sorted(a.difference(b)))
print(len(set()), set() == set(), bool(set()))
seen = set()
dups = []
for x in [5, 3, 5, 1, 3, 9]:
    if x in seen:
        dups.append(x)
    seen.add(x)
print(dups, sorted(seen))
print(sorted({(1, 2), (1, 2), (2, 1)}))
t = {"x"}
t.update(["y", "z"])
print(sorted(t), t.pop() in {"x", "y", "z"}, len(t))
