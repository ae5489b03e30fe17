# expect-exit: 65
# expect-stderr: SyntaxError: expected 'else' after 'if' expression
x = 1 if 2
