# with statements and custom context managers.
class Tracker:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            print("exit", self.name, "cleanly")
        else:
            print("exit", self.name, "with", exc_type.__name__, exc)
        return self.suppress
with Tracker("a") as v:
    print("body got", v)
with Tracker("b", suppress=True):
    print("raising inside b")
    raise ValueError("boom")
print("after b: suppressed")
try:
    with Tracker("c"):
        raise KeyError("not suppressed")
except KeyError as e:
    print("propagated", repr(e))
with Tracker("outer") as o, Tracker("inner") as i:
    print("two managers", o, i)
def early_return():
    with Tracker("ret"):
        return "returned"
print(early_return())
for n in range(3):
    with Tracker("loop%d" % n):
        if n == 1:
            continue
        if n == 2:
            break
        print("loop body", n)
class Resource:
    open_count = 0
    def __enter__(self):
        Resource.open_count += 1
        return self
    def __exit__(self, *args):
        Resource.open_count -= 1
        return False
with Resource() as r1:
    with Resource() as r2:
        print("open:", Resource.open_count, r1 is not r2)
print("open after:", Resource.open_count)
with Tracker("noas"):
    pass
