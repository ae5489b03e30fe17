# *args, **kwargs, keyword-only parameters, unpacking in calls.
def total(*nums):
    s = 0
    for n in nums:
        s += n
    return s
print(total(), total(1), total(1, 2, 3), total(*range(5)))
def show(*args, **kwargs):
    return "args=%r kwargs=%r" % (args, sorted(kwargs.items()))
print(show())
print(show(1, "a"))
print(show(x=1, y=2))
print(show(1, 2, *[3, 4], z=5, **{"w": 6}))
def head_tail(first, *rest):
    return first, rest
print(head_tail(1), head_tail(1, 2, 3))
def kwonly(a, *, scale=1, offset=0):
    return a * scale + offset
print(kwonly(5), kwonly(5, scale=3), kwonly(5, offset=1, scale=2))
def config(name, **opts):
    keys = list(opts)
    return name + ":" + ",".join(k + "=" + str(opts[k]) for k in keys)
print(config("db", host="localhost", port=5432))
def point(x, y, z=0):
    return (x, y, z)
args = (1, 2)
kw = {"z": 9}
print(point(*args), point(*args, **kw), point(**{"x": 7, "y": 8}))
def wrapper(*a, **k):
    return point(*a, **k)
print(wrapper(4, 5, z=6))
try:
    kwonly(1, 2)
except TypeError:
    print("TypeError: positional kw-only")
try:
    point(1)
except TypeError:
    print("TypeError: missing argument")
try:
    point(1, 2, w=3)
except TypeError:
    print("TypeError: unexpected keyword")
def mixed(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, sorted(kw)
print(mixed(1, c=3), mixed(1, 2, 3, 4, c=5, e=6, f=7))
