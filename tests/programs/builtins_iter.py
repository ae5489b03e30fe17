# enumerate, zip, reversed, sorted, map, filter, any, all, list/tuple/dict constructors.
names = ["ann", "bob", "cy"]
ages = [31, 25, 40]
for i, n in enumerate(names):
    print(i, n)
for i, n in enumerate(names, start=1):
    print(i, n)
print(list(enumerate("ab", 10)))
print(list(zip(names, ages)), list(zip([1, 2, 3], "ab")), list(zip()))
print(dict(zip(names, ages)), list(zip(names, ages, [True, False, True])))
print(list(reversed(names)), list(reversed((1, 2, 3))), "".join(reversed("abc")))
print(sorted(ages), sorted(ages, reverse=True), sorted(names, key=len, reverse=True))
print(sorted({"b": 1, "a": 2}), sorted("hello"), sorted([(2, "a"), (1, "b")]))
print(list(map(str, ages)), list(map(len, names)), list(map(int, ["1", "2"])))
print(list(filter(lambda a: a > 30, ages)), list(filter(str.isupper, "aBcD")))
print(any([]), all([]), any([0, "", 1]), all([1, "a", [0]]), all([1, 0]))
print(any(x > 35 for x in ages), all(x > 20 for x in ages), sum(x for x in ages if x > 30))
print(list(range(3)), tuple([1, 2]), list((x * x for x in range(4))))
pairs = sorted(zip(ages, names))
print(pairs, [n for a, n in pairs])
total = 0
for a, (i, n) in zip(ages, enumerate(names)):
    total += a * i
print(total)
stable = sorted([("b", 2), ("a", 2), ("c", 1), ("d", 1)], key=lambda p: p[1])
print(stable)
print(max(enumerate(ages), key=lambda p: p[1]), min(zip(ages, names)))
print(isinstance([], list), isinstance({}, dict), isinstance((), tuple), isinstance("", str))
print(isinstance(1.0, float), isinstance(1, float), isinstance(b"", bytes), isinstance(None, object))
