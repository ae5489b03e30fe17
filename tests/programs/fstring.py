# f-strings with conversions and format specs.
name, n, x = "gil", 42, 3.14159
print(f"{name} {n} {x}")
print(f"{name!r} {name!s} {n!r}")
print(f"[{n:5}] [{n:<5}] [{n:^5}] [{n:>5}] [{n:05}] [{n:+}]")
print(f"[{name:8}] [{name:>8}] [{name:^8}] [{name:*^9}]")
print(f"{x:.2f} {x:8.3f} {x:<8.1f}| {x:e}")
print(f"{255:x} {255:X} {255:b} {255:o} {255:#x} {255:08b}")
w, p = 10, 3
print(f"[{x:{w}.{p}f}]")
print(f"{n * 2} {n // 5} {name.upper()} {len(name)} {[1, 2][1]}")
d = {"k": "v"}
print(f"{d['k']} {d}")
print(f"{{literal braces}} {n}")
print(f"{'nested'} {3 > 2} {None}")
items = [("a", 1.5), ("bb", 22.25), ("ccc", 333.125)]
for k, v in items:
    print(f"{k:<5}|{v:>10.2f}|")
print(f"{-5:5d}|{-5:<5d}|{5:=+5d}")
print(f"{0.1 + 0.2}", f"{1e20}", f"{2.0}")
print(f"{True} {False!r} {n:d}")
print(f"{'abc':.2}", f"{12.0:g}", f"{0.00001234:g}")
