# Chained comparisons (each operand evaluated once) and conditional expressions.
x = 5
print(1 < x < 10, 1 < x > 4, 10 > x >= 5, 0 < x < 3, 1 == 1 < 2, 1 < 2 < 3 < 4 < 5)
print(3 > 2 == 2, "a" < "b" < "c", [1] < [2] <= [2], 1 < 2 > 3)
calls = []
def v(n):
    calls.append(n)
    return n
print(v(1) < v(2) < v(3), calls)
calls.clear()
print(v(3) < v(2) < v(1), calls)
print(None is None is not False, x is x)
print(2 in [1, 2] in [[1, 2]], 3 not in [1, 2] == True)
for n in range(-2, 4):
    sign = "neg" if n < 0 else "zero" if n == 0 else "pos"
    print(n, sign, "even" if n % 2 == 0 else "odd")
y = 10 if x > 3 else 20
z = (lambda a: "big" if a > 100 else "small")(y)
print(y, z, [i if i % 2 else -i for i in range(5)])
print("x" if [] else "y", "x" if "0" else "y")
age = 20
status = "minor" if age < 18 else "adult" if age < 65 else "senior"
print(status)
a, b = 3, 7
print(min(a, b) if a != b else None, a if a > b else b)
