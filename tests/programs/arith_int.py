# Integer arithmetic: Python's floor division and modulo, powers, bit ops.
a, b = 17, 5
print(a + b, a - b, a * b, a // b, a % b, a ** 2)
for x, y in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (1, -1)]:
    print(x, y, x // y, x % y, divmod(x, y))
print(2 ** 10, 2 ** 0, 0 ** 0, (-3) ** 3, 10 ** 18)
print(7 / 2, -7 / 2, 6 / 3, 1 / 4)
print(0b1010, 0o17, 0xff, 1_000_000)
print(6 & 3, 6 | 3, 6 ^ 3, ~6, ~-1)
print(1 << 10, 1 << 62, 1024 >> 3, -1024 >> 3, -1 >> 5)
print(-(-5), +5, -0, abs(-12), abs(12))
n = 1
for i in range(1, 21):
    n *= i
print("20! =", n)
print(n // 1000000007, n % 1000000007)
print(9223372036854775807, -9223372036854775807 - 1)
print(3 * 4 + 2 ** 3 ** 2 - 10 // 3 % 2)
print((1 + 2) * (3 - 4) // 5)
x = 100
x -= 1; x *= 3; x //= 7; x %= 10; x **= 3
print(x)
print(int(7.9), int(-7.9), int("123"), int("-42"), int(" 17 "))
print(10 == 10.0, 3 < 3.5, 2 ** 62 - 1 > 0)
