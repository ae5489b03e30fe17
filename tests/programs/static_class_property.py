# staticmethod, classmethod, property (getter and setter).
class Temperature:
    scale = "C"
    def __init__(self, celsius):
        self._c = celsius
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._c = value
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
    @staticmethod
    def c_to_f(c):
        return c * 9 / 5 + 32
    @classmethod
    def from_f(cls, f):
        return cls((f - 32) * 5 / 9)
    @classmethod
    def describe(cls):
        return "scale " + cls.scale
t = Temperature(100)
print(t.celsius, t.fahrenheit)
t.celsius = 0
print(t.celsius, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
print(t.celsius)
print(Temperature.c_to_f(37), t.c_to_f(-40))
u = Temperature.from_f(212)
print(u.celsius, isinstance(u, Temperature))
class Kelvin(Temperature):
    scale = "K"
print(Kelvin.describe(), Temperature.describe(), isinstance(Kelvin.from_f(32), Kelvin))
class Circle:
    def __init__(self, r):
        self.r = r
    @property
    def area(self):
        return round(3.14159 * self.r * self.r, 3)
c = Circle(2)
print(c.area)
try:
    c.area = 5
except AttributeError:
    print("AttributeError: read-only property")
class Registry:
    items = []
    @classmethod
    def register(cls, x):
        cls.items.append(x)
        return len(cls.items)
    @staticmethod
    def helper(a, b=1):
        return a + b
print(Registry.register("a"), Registry.register("b"), Registry.items)
print(Registry.helper(1), Registry().helper(2, 3))
