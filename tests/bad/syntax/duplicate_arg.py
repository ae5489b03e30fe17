# expect-exit: 65
# expect-stderr: SyntaxError: duplicate argument 'a' in function definition
def f(a, a):
    pass
