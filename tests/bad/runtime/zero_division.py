# expect-exit: 70
# expect-stderr: ZeroDivisionError: division by zero
x = 1 / 0
