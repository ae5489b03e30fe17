# Containers nested 100,000 deep: repr, str, ==, < and `in` raise
# RecursionError as in CPython (never a C stack overflow).
def nest(n, mk):
    x = mk(0)
    for i in range(n):
        x = mk(x)
    return x

for name, mk in [("list", lambda x: [x]), ("tuple", lambda x: (x,)), ("dict", lambda x: {1: x})]:
    a = nest(100000, mk)
    b = nest(100000, mk)
    for what, f in [("repr", repr), ("str", str), ("eq", lambda a: a == b),
                    ("lt", lambda a: a < b), ("in", lambda a: a in [b])]:
        try:
            f(a)
            print(name, what, "ok")
        except RecursionError as e:
            print(name, what, "RecursionError", "maximum recursion depth exceeded" in str(e))
        except TypeError:
            print(name, what, "TypeError")
print(repr(nest(50, lambda x: [x]))[:12])
print(nest(30, lambda x: (x,)) == nest(30, lambda x: (x,)))
