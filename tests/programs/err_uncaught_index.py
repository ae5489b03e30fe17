# IndexError escaping a method.
class Ring:
    def __init__(self, items):
        self.items = items
    def at(self, i):
        return self.items[i]
r = Ring([1, 2, 3])
print(r.at(0), r.at(-1))
print(r.at(3))
