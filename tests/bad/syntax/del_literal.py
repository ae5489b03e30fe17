# expect-exit: 65
# expect-stderr: SyntaxError: cannot delete literal
del 1
