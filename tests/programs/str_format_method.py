# str.format.
print("{} {}".format("a", "b"))
print("{1} {0} {1}".format("x", "y"))
print("{name} is {age}".format(name="Ann", age=7))
print("{0:>6}|{0:<6}|{0:^6}|".format("ab"))
print("{:.3f} {:+.1f} {:10.2f}|".format(3.14159, 2.0, -1.5))
print("{:05d} {:x} {:b}".format(42, 255, 5))
print("{} {}".format([1, 2], (3,)))
print("{!r} {!s}".format("q", "q"))
print("{{}} {}".format(1))
print("{0[0]} {0[1]}".format(["first", "second"]))
fmt = "{:<10}{:>6}"
for row in [("alpha", 1), ("beta", 22), ("gamma", 333)]:
    print(fmt.format(*row))
print("{:*^11}".format(" mid "))
print("{:e}".format(123456.0))
print("{a}-{b}".format(**{"a": 1, "b": 2}))
