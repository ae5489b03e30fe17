# An uncaught OverflowError is a runtime error: traceback, exit 70.
def grow(n):
    while True:
        n = n * 1000
        print(n)
grow(1)
# expect: 1000
# expect: 1000000
# expect: 1000000000
# expect: 1000000000000
# expect: 1000000000000000
# expect: 1000000000000000000
# expect-exit: 70
# expect-stderr: Traceback (most recent call last):
# expect-stderr: OverflowError
# expect-stderr-re: line 4, in grow
