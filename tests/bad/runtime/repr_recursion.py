# expect-exit: 70
# expect-stderr: RecursionError: maximum recursion depth exceeded
class A:
    def __repr__(self):
        return repr(self)
print(A())
