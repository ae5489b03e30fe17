# expect-exit: 65
# expect-stderr: SyntaxError: expected 'except' or 'finally' block
try:
    pass
