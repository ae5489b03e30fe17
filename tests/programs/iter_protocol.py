# The iterator protocol: __iter__ and __next__ raising StopIteration.
class Countdown:
    def __init__(self, start):
        self.start = start
    def __iter__(self):
        return CountdownIter(self.start)
class CountdownIter:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
for i in Countdown(3):
    print(i)
print(list(Countdown(5)), sum(Countdown(4)), sorted(Countdown(3)))
print([x * 2 for x in Countdown(3)], max(Countdown(6)), 2 in Countdown(3))
class Fib:
    def __init__(self, limit):
        self.a, self.b, self.limit = 0, 1, limit
    def __iter__(self):
        return self
    def __next__(self):
        if self.a > self.limit:
            raise StopIteration()
        r = self.a
        self.a, self.b = self.b, self.a + self.b
        return r
print(list(Fib(100)))
it = iter([10, 20, 30])
print(next(it), next(it), next(it), next(it, "done"))
try:
    next(it)
except StopIteration:
    print("StopIteration")
for i, v in enumerate(Countdown(2)):
    print(i, v)
print(list(zip(Countdown(3), "abc")))
