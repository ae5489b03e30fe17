# expect-exit: 65
# expect-stderr: SyntaxError
# expect-stderr-re: :6:\d+: SyntaxError
def ok():
    return 1
def broken(x)
    return x
