# def with defaults and keyword arguments.
def greet(name, greeting="Hello", punct="!"):
    return greeting + ", " + name + punct
print(greet("Ann"))
print(greet("Bob", "Hi"))
print(greet("Cy", punct="?"))
print(greet(punct=".", name="Di", greeting="Bye"))
def power(base, exp=2):
    return base ** exp
print(power(3), power(2, 10), power(exp=3, base=4))
def append_to(x, acc=[]):
    acc.append(x)
    return acc
print(append_to(1), append_to(2))
def safe_append(x, acc=None):
    if acc is None:
        acc = []
    acc.append(x)
    return acc
print(safe_append(1), safe_append(2))
DEFAULT = 10
def uses_default(x=DEFAULT):
    return x
DEFAULT = 20
print(uses_default())
def no_return():
    x = 1
print(no_return())
def early(n):
    if n < 0:
        return
    return n * 2
print(early(-1), early(4))
def multi():
    return 1, [2], "three"
a, b, c = multi()
print(a, b, c, multi())
def f(a, b=2, *, c=3, d):
    return (a, b, c, d)
print(f(1, d=4), f(1, 5, d=6, c=7))
def describe(x, label="value"):
    """Docstrings are ignored."""
    return "%s=%r" % (label, x)
print(describe(3), describe("s", label="str"))
g = greet
print(g("Eve", greeting="Yo"), g is greet)
