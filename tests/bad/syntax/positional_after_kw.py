# expect-exit: 65
# expect-stderr: SyntaxError: positional argument follows keyword argument
def f(*a, **k):
    pass
f(a=1, 2)
