# expect-exit: 65
# expect-stderr: SyntaxError: 'break' outside loop
for i in range(3):
    pass
break
