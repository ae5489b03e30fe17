# Duck typing and polymorphism over a small shape hierarchy.
class Shape:
    name = "shape"
    def area(self):
        raise NotImplementedError("area")
    def perimeter(self):
        raise NotImplementedError("perimeter")
    def describe(self):
        return "%s area=%.2f perimeter=%.2f" % (self.name, self.area(), self.perimeter())
class Rect(Shape):
    name = "rect"
    def __init__(self, w, h):
        self.w, self.h = w, h
    def area(self):
        return self.w * self.h
    def perimeter(self):
        return 2 * (self.w + self.h)
class Square(Rect):
    name = "square"
    def __init__(self, s):
        super().__init__(s, s)
class Circle(Shape):
    name = "circle"
    def __init__(self, r):
        self.r = r
    def area(self):
        return 3.141592653589793 * self.r ** 2
    def perimeter(self):
        return 2 * 3.141592653589793 * self.r
class Blob(Shape):
    name = "blob"
shapes = [Rect(2, 3), Square(2.5), Circle(1), Blob()]
for s in shapes:
    try:
        print(s.describe())
    except NotImplementedError as e:
        print(s.name, "cannot:", e)
measurable = [s for s in shapes if not isinstance(s, Blob)]
print(sorted(s.name for s in measurable), round(sum(s.area() for s in measurable), 4))
print(max(measurable, key=lambda s: s.perimeter()).name)
class Duck:
    def sound(self): return "quack"
class Robot:
    def sound(self): return "beep"
print([x.sound() for x in (Duck(), Robot(), Duck())])
