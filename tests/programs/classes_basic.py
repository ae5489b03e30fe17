# Classes: __init__, methods, instance and class attributes.
class Counter:
    instances = 0
    step = 1
    def __init__(self, name, start=0):
        self.name = name
        self.value = start
        Counter.instances += 1
    def inc(self):
        self.value += self.step
        return self
    def report(self):
        return "%s=%d" % (self.name, self.value)
a = Counter("a")
b = Counter("b", 10)
a.inc().inc()
b.inc()
print(a.report(), b.report(), Counter.instances)
b.step = 5
b.inc()
print(b.report(), a.step, b.step, Counter.step)
Counter.step = 2
a.inc()
print(a.report())
class Empty:
    pass
e = Empty()
e.x = 1
e.y = [e.x, 2]
print(e.x, e.y)
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def dist2(self, other):
        dx = self.x - other.x
        dy = self.y - other.y
        return dx * dx + dy * dy
    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)
p = Point(1, 2)
q = p.moved(3, 4)
print(p.x, p.y, q.x, q.y, p.dist2(q), Point.dist2(q, p))
m = p.dist2
print(m(Point(0, 0)))
points = [Point(i, i * i) for i in range(4)]
print([pt.y for pt in points])
print(isinstance(p, Point), isinstance(p, Empty), isinstance(3, Point))
class Stack:
    def __init__(self):
        self.items = []
    def push(self, x):
        self.items.append(x)
    def pop(self):
        return self.items.pop()
    def size(self):
        return len(self.items)
s = Stack()
for ch in "abc":
    s.push(ch)
print(s.pop(), s.size(), s.items)
