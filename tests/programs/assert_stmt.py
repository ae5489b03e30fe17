# assert: passing, failing with and without a message.
assert True
assert 1 + 1 == 2, "math works"
x = [1, 2, 3]
assert len(x) == 3 and x[0] == 1
print("passing asserts ok")
try:
    assert 2 + 2 == 5, "2 + 2 is not 5"
except AssertionError as e:
    print("AssertionError:", e, e.args)
try:
    assert x == []
except AssertionError as e:
    print("AssertionError without message:", repr(e), e.args)
def checked_sqrt(n):
    assert n >= 0, "negative input %d" % n
    r = 0
    while (r + 1) * (r + 1) <= n:
        r += 1
    return r
for n in [0, 1, 15, 16, 99, -4]:
    try:
        print(n, checked_sqrt(n))
    except AssertionError as e:
        print(n, "failed:", e)
count = 0
def side_effect():
    global count
    count += 1
    return True
assert side_effect(), "never"
print("side effect count", count)
