# global and nonlocal.
counter = 0
def bump():
    global counter
    counter += 1
for _ in range(5):
    bump()
print(counter)
def set_new():
    global created
    created = "made inside"
set_new()
print(created)
x = "global x"
def read_only():
    return x
def local_shadow():
    x = "local x"
    return x
print(read_only(), local_shadow(), x)
def outer():
    total = 0
    def add(n):
        nonlocal total
        total += n
    for i in range(4):
        add(i)
    return total
print(outer())
def two_levels():
    v = 1
    def mid():
        def inner():
            nonlocal v
            v *= 10
        inner()
        inner()
    mid()
    return v
print(two_levels())
def unbound():
    try:
        print(y)
    except NameError:
        print("NameError for undefined y")
unbound()
def uses_before_assign():
    try:
        print(counter)
    except UnboundLocalError:
        print("UnboundLocalError")
    counter = 1
    return counter
print(uses_before_assign())
