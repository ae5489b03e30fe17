# math functions and constants.
import math
print(math.pi, math.e, math.tau, 2 * math.pi)
print(math.sqrt(2), math.sqrt(144), math.floor(3.7), math.ceil(3.2), math.floor(-3.7))
print(math.trunc(-3.7), math.fabs(-2), math.factorial(10), math.gcd(48, 18))
print(math.exp(1), math.log(100, 10), math.log10(1000), math.log2(1024), math.log(math.e ** 2))
print(round(math.sin(math.pi / 6), 10), round(math.cos(math.pi / 3), 10), math.tan(0))
print(math.atan2(1, 1) * 4, math.degrees(math.pi), math.radians(180))
print(math.hypot(3, 4), math.pow(2, 0.5), math.isnan(float("nan")), math.isinf(math.inf))
print(math.isclose(0.1 + 0.2, 0.3), math.copysign(3, -0.0), math.fsum([0.1] * 10))
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    math.log(0)
except ValueError as e:
    print("ValueError:", e)
