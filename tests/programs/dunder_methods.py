# Special methods: __str__ __repr__ __eq__ __lt__ __len__ __getitem__ __contains__ __call__ __add__.
class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)
    def __str__(self):
        return "<%s, %s>" % (self.x, self.y)
    def __eq__(self, other):
        return isinstance(other, Vec) and self.x == other.x and self.y == other.y
    def __lt__(self, other):
        return (self.x, self.y) < (other.x, other.y)
    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)
    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
v = Vec(1, 2)
w = Vec(3, -1)
print(v, repr(v), [v, w], str(w))
print(v + w, v - w, v * 3, v == Vec(1, 2), v != w, v == 5)
print(sorted([w, v, Vec(0, 9)]), v < w, min([w, v]))
print("%s %r" % (v, v), f"{v} {v!r}")
class Deck:
    def __init__(self, cards):
        self.cards = list(cards)
    def __len__(self):
        return len(self.cards)
    def __getitem__(self, i):
        return self.cards[i]
    def __contains__(self, c):
        return c in self.cards
deck = Deck("AKQJ")
print(len(deck), deck[0], deck[-1], "Q" in deck, "2" in deck, "2" not in deck)
print(bool(Deck("")), bool(deck))
class Multiplier:
    def __init__(self, k):
        self.k = k
    def __call__(self, x, extra=0):
        return x * self.k + extra
triple = Multiplier(3)
print(triple(5), triple(5, extra=1), list(map(triple, [1, 2])))
class Temp:
    def __init__(self, deg):
        self.deg = deg
    def __le__(self, o):
        return self.deg <= o.deg
    def __gt__(self, o):
        return self.deg > o.deg
    def __bool__(self):
        return self.deg != 0
print(Temp(3) <= Temp(4), Temp(5) > Temp(4), bool(Temp(0)), "hot" if Temp(1) else "cold")
class Box:
    def __init__(self):
        self.data = {}
    def __setitem__(self, k, v):
        self.data[k] = v * 2
    def __getitem__(self, k):
        return self.data[k]
b = Box()
b["a"] = 21
print(b["a"], b.data)
