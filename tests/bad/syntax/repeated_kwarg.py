# expect-exit: 65
# expect-stderr: SyntaxError: keyword argument repeated: a
def f(**k):
    pass
f(a=1, a=2)
