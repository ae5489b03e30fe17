# Building strings in loops, joins, repetition, and formatting tables.
s = ""
for i in range(1000):
    s += str(i % 10)
print(len(s), s[:25], s[-5:], s.count("7"))
parts = []
for i in range(20):
    parts.append("%02d" % i)
joined = ",".join(parts)
print(joined, len(joined))
print("-" * 30)
rows = [("name", "qty"), ("apple", 3), ("kiwi", 12)]
for a, b in rows:
    print("|" + str(a).ljust(8) + "|" + str(b).rjust(5) + "|")
line = ""
for word in "a quick brown fox jumps over the lazy dog".split():
    line = line + word[0].upper() + word[1:] + " "
print(line.strip())
acc = []
n = 1
while len(acc) < 10:
    acc.append(str(n))
    n *= 3
print("+".join(acc))
tri = "\n".join(" " * (5 - i) + "*" * (2 * i - 1) for i in range(1, 6))
print(tri)
big = "abcdefghijklmnopqrstuvwxyz" * 10
print(len(big), big[25:28], big.upper()[-3:])
csv = "\n".join(",".join(str(r * c) for c in range(4)) for r in range(4))
print(csv)
