# Class vs instance attributes, class-level counters, methods stored as values.
class Config:
    defaults = {"debug": False, "level": 1}
    count = 0
    def __init__(self, **overrides):
        Config.count += 1
        self.values = dict(Config.defaults)
        self.values.update(overrides)
    def get(self, key):
        return self.values[key]
a = Config()
b = Config(debug=True)
print(Config.count, a.get("debug"), b.get("debug"), a.get("level"))
print(Config.defaults, b.values)
class Shared:
    items = []
    def add(self, x):
        self.items.append(x)
s1, s2 = Shared(), Shared()
s1.add(1); s2.add(2)
print(Shared.items, s1.items is s2.items)
s1.items = ["own"]
print(s1.items, s2.items, Shared.items)
class Greeter:
    greeting = "hello"
    def greet(self, who):
        return self.greeting + " " + who
g = Greeter()
method = g.greet
print(method("bound"), Greeter.greet(g, "unbound"))
g.greeting = "hi"
print(method("again"), Greeter.greeting)
Greeter.greeting = "hey"
print(Greeter().greet("new"), g.greet("old"))
class Base:
    tag = "base"
class Child(Base):
    pass
print(Child.tag, Child().tag)
Base.tag = "changed"
print(Child.tag)
Child.tag = "own"
print(Child.tag, Base.tag)
