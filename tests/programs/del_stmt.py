# del of names, list items, slices, dict keys and attributes.
x = 10
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)
xs = [0, 1, 2, 3, 4, 5]
del xs[0]
del xs[-1]
print(xs)
del xs[1:3]
print(xs)
d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d, "b" in d)
try:
    del d["zz"]
except KeyError as e:
    print("KeyError:", e)
class Obj:
    pass
o = Obj()
o.attr = 5
o.other = 6
del o.attr
try:
    print(o.attr)
except AttributeError:
    print("AttributeError after del")
print(o.other)
a, b = 1, 2
del a, b
def f():
    y = 1
    del y
    try:
        return y
    except UnboundLocalError:
        return "UnboundLocalError"
print(f())
m = [[1, 2], [3, 4]]
del m[0][1]
print(m)
