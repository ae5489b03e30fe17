# dict: insertion order, methods, iteration, membership.
d = {"one": 1, "two": 2, "three": 3}
print(d, len(d), d["two"], "one" in d, "four" in d, "four" not in d)
d["four"] = 4
d["one"] = 11
print(d)
print(d.get("two"), d.get("five"), d.get("five", 5))
print(list(d.keys()), list(d.values()), list(d.items()))
for k in d:
    print(k, d[k])
for k, v in d.items():
    print(k, "->", v)
print(d.pop("two"), d.pop("zzz", "none"), d)
del d["three"]
print(d)
d["three"] = 3
print(d, list(d))
print(d.setdefault("one", 100), d.setdefault("five", 5), d)
d.update({"six": 6, "one": 1})
d.update(seven=7)
print(d)
e = dict(a=1, b=2)
f = dict([("x", 10), ("y", 20)])
g = dict(zip("abc", range(3)))
print(e, f, g, dict(), {})
print(e == {"b": 2, "a": 1}, e != f)
counts = {}
for w in "the cat and the hat and the bat".split():
    counts[w] = counts.get(w, 0) + 1
print(counts)
print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
inv = {v: k for k, v in g.items()}
print(inv, {1: "int", 1.5: "float", (1, 2): "tuple", None: "none", True: "bool"})
c = d.copy()
c.clear()
print(c, len(d), sum(d.values()), max(d), min(d.values()))
