# while loops with break, continue and else.
n = 0
while n < 5:
    n += 1
    if n == 2:
        continue
    print("n =", n)
else:
    print("while finished normally")
i = 0
while True:
    i += 3
    if i > 10:
        break
print("broke at", i)
k = 10
while k > 0:
    k -= 4
    if k == -2:
        break
else:
    print("not printed")
print("k =", k)
def count(n):
    while n > 0:
        n -= 1
    return n
print(count(100000))
a, b = 0, 1
while b < 1000:
    a, b = b, a + b
print(a, b)
outer = 0
while outer < 3:
    inner = 0
    while inner < 3:
        if inner == outer:
            inner += 1
            continue
        print(outer, inner)
        inner += 1
    outer += 1
x = 27
steps = 0
while x != 1:
    x = x // 2 if x % 2 == 0 else 3 * x + 1
    steps += 1
print("collatz 27 steps:", steps)
while False:
    print("never")
else:
    print("else of empty while")
