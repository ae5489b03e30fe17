# expect-exit: 65
# expect-stderr: SyntaxError: cannot assign to function call here. Maybe you
f() = 3
