# A context manager sees the exception, does not suppress it, it propagates.
class Manager:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, t, v, tb):
        print("exit saw", t.__name__, v)
        return False
with Manager():
    print("body")
    x = [1, 2][2]
