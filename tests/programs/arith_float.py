# Floats: arithmetic, mixing with ints, repr, rounding.
print(0.1 + 0.2, 1.0, 2.5 * 4, 1 / 3, 2 / 3)
print(3.0 * 2, 7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2)
print(1e10, 1e16, 1e-4, 1e-5, 123456789.0, 1.5e300 * 1.0)
print(float("2.5"), float("-0.125"), float(3), float("1e3"))
print(-0.0, 0.0 == -0.0, 2.0 ** 0.5, 10 ** -2)
print(round(3.14159, 2), round(2.5), round(3.5), round(-2.5), round(0.125, 2))
print(round(7), round(7.0), round(1234.5678, -2), round(1.23456789, 5))
print(abs(-3.5), max(1.5, 2), min(-0.5, 0))
total = 0.0
for i in range(10):
    total += 0.1
print(total, total == 1.0, abs(total - 1.0) < 1e-9)
print(int(1e15), int(2.999), int(-0.5))
print(5 / 2 == 2.5, 1 / 8, 3.0 / 2.0)
big = 1.7976931348623157e308
print(big, big * 10, -big * 10)
inf = float("inf")
print(inf, -inf, inf > 1e308, float("-inf") < 0)
nan = float("nan")
print(nan == nan, nan != nan)
print(divmod(7.5, 2), divmod(-7.5, 2))
print(1.1 * 3, 100.0 / 3.0, 2.675 * 100)
print(5e-324, 2.2250738585072014e-308)
