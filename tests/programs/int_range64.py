# Integer arithmetic near (but within) the 64-bit range: must be exact.
M = 9223372036854775807
print(M, -M - 1, M - 1, M // 2, M % 1000, -M // 7, -M % 7)
print(2 ** 62, 2 ** 62 - 1 + 2 ** 62, (2 ** 31) * (2 ** 31), 3 ** 39)
print(M // 3 * 3 + M % 3 == M, (-M - 1) // 2, (-M - 1) % 10)
h = 0
for ch in "the global interpreter lock":
    h = (h * 31 + len(ch) * 97 + 7) % 1000000007
print(h)
x = 1
for i in range(62):
    x *= 2
print(x, x - 1 + x, x >> 61)
fib = [0, 1]
while len(fib) < 93:
    fib.append(fib[-1] + fib[-2])
print(fib[90], fib[92], fib[92] > 0)
print(abs(-M), -(-M), M * 1, M + 0, 0 - M)
print(123456789 * 987654321, 99999999999 * 9999999, -4611686018427387904 * 2)
print(int("9223372036854775807"), int("-9223372036854775808"), str(-M - 1))
print(5 ** 27, 7 ** 22, (-2) ** 63)
