# sum() and int() also stay within 64 bits.
try:
    print(sum([9223372036854775807, 1]))
except OverflowError:
    print("sum OverflowError")
try:
    print(int("99999999999999999999"))
except (OverflowError, ValueError):
    print("int() out of range rejected")
try:
    print(int(1e19))
except OverflowError:
    print("int(float) OverflowError")
print(int(9.2e18), int("-9223372036854775808"), sum(range(100000)))
print(float(9223372036854775807) == 9.223372036854776e18)
# expect: sum OverflowError
# expect: int() out of range rejected
# expect: int(float) OverflowError
# expect: 9200000000000000000 -9223372036854775808 4999950000
# expect: True
