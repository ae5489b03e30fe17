# Single inheritance, overriding, super(), isinstance/issubclass.
class Animal:
    kind = "animal"
    def __init__(self, name):
        self.name = name
    def speak(self):
        return "..."
    def describe(self):
        return "%s the %s says %s" % (self.name, self.kind, self.speak())
class Dog(Animal):
    kind = "dog"
    def speak(self):
        return "woof"
class Puppy(Dog):
    def __init__(self, name, age):
        super().__init__(name)
        self.age = age
    def speak(self):
        return super().speak() + " (squeaky)"
    def describe(self):
        return super().describe() + ", age %d" % self.age
class Cat(Animal):
    kind = "cat"
    def speak(self):
        return "meow"
for a in [Animal("generic"), Dog("rex"), Puppy("bit", 1), Cat("tom")]:
    print(a.describe())
p = Puppy("bit", 1)
print(isinstance(p, Puppy), isinstance(p, Dog), isinstance(p, Animal), isinstance(p, Cat))
print(issubclass(Puppy, Animal), issubclass(Dog, Puppy), issubclass(Cat, Cat), issubclass(Dog, object))
print(isinstance(p, (Cat, Dog)), isinstance(3, (str, int)), isinstance("s", (list, tuple)))
class Base:
    def __init__(self):
        self.log = ["Base"]
    def hook(self):
        return "base hook"
    def run(self):
        return self.hook()
class Derived(Base):
    def __init__(self):
        super().__init__()
        self.log.append("Derived")
    def hook(self):
        return "derived hook"
d = Derived()
print(d.log, d.run(), Base.run(d), Base.hook(d))
class Shape:
    def area(self):
        return 0
    def __str__(self):
        return "%s(area=%s)" % (self.label(), self.area())
    def label(self):
        return "Shape"
class Rect(Shape):
    def __init__(self, w, h):
        self.w, self.h = w, h
    def area(self):
        return self.w * self.h
    def label(self):
        return "Rect"
class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s)
    def label(self):
        return "Square"
shapes = [Rect(2, 3), Square(4), Shape()]
for s in sorted(shapes, key=lambda s: s.area()):
    print(s)
print(isinstance(Square(1), Rect), issubclass(bool, int))
