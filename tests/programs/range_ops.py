# range objects.
r = range(3, 20, 4)
print(list(r), len(r), r[0], r[-1], r[2])
print(list(range(0)), list(range(-3)), list(range(5, 0, -1)), list(range(0, -10, -3)))
print(len(range(10)), len(range(0, 10, 3)), len(range(10, 0, -2)), len(range(5, 5)))
print(7 in r, 8 in r, 19 in r, 20 in r)
print(sum(range(101)), max(range(7)), min(range(3, 9)))
print(list(reversed(range(4))), sorted(range(5), reverse=True))
print(range(5), range(1, 5), range(1, 9, 2))
for i in range(len("abc")):
    print(i, "abc"[i])
try:
    range(1, 2, 0)
except ValueError as e:
    print("ValueError:", e)
print(list(range(2**40, 2**40 + 3)))
print(list(zip(range(3), range(10, 13))))
