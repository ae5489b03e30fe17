# The messages of common built-in exceptions match CPython's.
def msg(f):
    try:
        f()
    except Exception as e:
        return repr(e)
    return "no exception"
print(msg(lambda: 1 / 0))
print(msg(lambda: 1 // 0))
print(msg(lambda: 1 % 0))
print(msg(lambda: [1][3]))
print(msg(lambda: (1,)[3]))
print(msg(lambda: "ab"[5]))
print(msg(lambda: {"a": 1}["zz"]))
print(msg(lambda: {}[3]))
print(msg(lambda: int("abc")))
print(msg(lambda: float("abc")))
print(msg(lambda: [].pop()))
print(msg(lambda: [1, 2].remove(5)))
print(msg(lambda: [1, 2].index(5)))
print(msg(lambda: "abc".index("z")))
print(msg(lambda: "a" + 1))
print(msg(lambda: 1 + "a"))
print(msg(lambda: undefined_thing))
print(msg(lambda: [1, 2, 3][1:2:0]))
nothing = None
print(msg(lambda: nothing()))
print(msg(lambda: len(5)))
a, b = 1, 2
def unpack():
    x, y = [1, 2, 3]
print(msg(unpack))
def unpack2():
    x, y, z = (1, 2)
print(msg(unpack2))
