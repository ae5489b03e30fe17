# expect-exit: 65
# expect-stderr: SyntaxError: cannot assign to literal
with open("f") as 1:
    pass
