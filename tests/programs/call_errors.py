# TypeError messages for bad calls match CPython's (functions, methods, classes).
def f(a, b):
    return a + b
def g(a, *, k):
    return a, k
def h(a, b=2, *args):
    return a, b, args
class K:
    def __init__(self, x=0):
        self.x = x
    def m(self, y):
        return self.x + y
def msg(thunk):
    try:
        thunk()
    except TypeError as e:
        return "TypeError: " + str(e)
    return "no error"
print(msg(lambda: f(1, 2, 3)))
print(msg(lambda: f(1)))
print(msg(lambda: f()))
print(msg(lambda: f(1, 2, z=3)))
print(msg(lambda: f(1, a=2)))
print(msg(lambda: g(1)))
print(msg(lambda: g(1, 2)))
print(msg(lambda: h()))
print(msg(lambda: K(1, 2, 3)))
print(msg(lambda: K().m()))
print(msg(lambda: K().m(1, 2)))
print(msg(lambda: K.m(1)))
print(f(*[1, 2]), g(1, k=2), h(1), h(1, 2, 3, 4), K(5).m(1))
