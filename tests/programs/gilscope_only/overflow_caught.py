# gilscope's int is 64-bit: results beyond it raise OverflowError, never wrap.
# (CPython has big ints, so this file is checked against the lines below.)
big = 9223372036854775807
small = -9223372036854775807 - 1
print(big, small)
ops = [
    ("add", lambda: big + 1),
    ("sub", lambda: small - 1),
    ("mul", lambda: big * 2),
    ("mul2", lambda: 4294967296 * 4294967296),
    ("pow", lambda: 2 ** 63),
    ("pow2", lambda: 10 ** 19),
    ("neg", lambda: -small),
    ("abs", lambda: abs(small)),
    ("floordiv", lambda: small // -1),
    ("shift", lambda: 1 << 64),
    ("fact", lambda: fact(25)),
]
def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r
for name, f in ops:
    try:
        r = f()
        print(name, "no error", r)
    except OverflowError:
        print(name, "OverflowError")
print(big - 1 + 1 == big, small + 1 - 1 == small, 2 ** 62 + (2 ** 62 - 1) == big)
print(fact(20), -(small + 1), big // -1, small // 1)
x = big
try:
    x += 1
except OverflowError:
    print("augmented OverflowError, x unchanged:", x == big)
# expect: 9223372036854775807 -9223372036854775808
# expect: add OverflowError
# expect: sub OverflowError
# expect: mul OverflowError
# expect: mul2 OverflowError
# expect: pow OverflowError
# expect: pow2 OverflowError
# expect: neg OverflowError
# expect: abs OverflowError
# expect: floordiv OverflowError
# expect: shift OverflowError
# expect: fact OverflowError
# expect: True True True
# expect: 2432902008176640000 9223372036854775807 -9223372036854775807 -9223372036854775808
# expect: augmented OverflowError, x unchanged: True
