# expect-exit: 65
# expect-stderr: SyntaxError: nonlocal declaration not allowed at module leve
nonlocal x
