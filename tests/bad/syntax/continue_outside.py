# expect-exit: 65
# expect-stderr: SyntaxError: 'continue' not properly in loop
def f():
    continue
