# for over range, list, tuple, dict, str; for-else; break/continue; nesting.
for i in range(5):
    print(i, end=" ")
print()
for i in range(2, 10, 3):
    print(i, end=",")
print()
for i in range(10, 0, -3):
    print(i, end=" ")
print()
for x in [1, "a", None]:
    print(repr(x))
for t in (1.5, 2.5):
    print(t * 2)
d = {"b": 2, "a": 1}
for key in d:
    print(key, d[key])
for ch in "héllo":
    print(ch, end="|")
print()
for n in range(2, 20):
    for f in range(2, n):
        if n % f == 0:
            break
    else:
        print(n, "is prime")
for i in range(6):
    if i % 2:
        continue
    print("even", i)
for i in []:
    print("never")
else:
    print("empty for else")
total = 0
for i in range(100):
    if i > 50:
        break
    total += i
else:
    total = -1
print(total)
for a, b in [(1, 2), (3, 4)]:
    print(a + b)
for i in range(3):
    for j in range(3):
        if j > i:
            break
        print(i, j, end="; ")
print()
i = 99
for i in range(3):
    pass
print("after loop i =", i)
print("sep", "end", sep="--", end="!\n")
print(*[1, 2, 3], sep=", ")
