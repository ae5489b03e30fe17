# bool and None: truthiness, and/or return operands, identity.
print(True, False, None, True and False, True or False, not True, not None)
print(True + True, True * 10, False - 1, int(True), float(False))
print(1 and 2, 0 and 2, 1 or 2, 0 or 2, None or "default", "" or [] or 0)
print([] and "x", [0] and "x", "a" and "b" and "c")
for v in [0, 1, -1, 0.0, 0.5, "", "a", [], [0], (), (0,), {}, {"k": 1}, None, True, False]:
    print(repr(v), bool(v), "yes" if v else "no")
x = None
print(x is None, x is not None, x == None)
print(True == 1, False == 0, True is True, None is None)
print(bool(), bool(0), bool("False"))
print(isinstance(True, int), isinstance(True, bool), isinstance(1, bool))
print(str(True), repr(False), str(None))
print(True < 2, False < True, max(True, False), sum([True, True, False]))
def f():
    pass
print(f() is None, f())
print(not 0 == 1, not (0 == 1))
