# lambda, functions as values, higher-order builtins.
sq = lambda x: x * x
add = lambda a, b=1: a + b
print(sq(7), add(2), add(2, 3), (lambda: "nullary")())
print(list(map(sq, range(6))), list(map(lambda a, b: a * b, [1, 2, 3], [4, 5, 6])))
print(list(filter(lambda x: x % 3 == 0, range(20))), list(filter(None, [0, 1, "", "a", None])))
people = [("ann", 31), ("bob", 25), ("cy", 31), ("di", 19)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (-p[1], p[0])))
print(max(people, key=lambda p: p[1]), min(people, key=lambda p: len(p[0])))
ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}
for op in ["+", "-", "*"]:
    print(op, ops[op](6, 3))
def apply_n(f, n, x):
    for _ in range(n):
        x = f(x)
    return x
print(apply_n(lambda v: v * 2, 10, 1))
pipeline = [str.strip, str.lower, lambda s: s.replace(" ", "_")]
s = "  Hello World  "
for f in pipeline:
    s = f(s)
print(s)
print((lambda *a, **k: (a, sorted(k)))(1, 2, x=3))
