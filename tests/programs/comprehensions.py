# List, dict and set comprehensions, nested and filtered, and generator expressions.
print([x * x for x in range(10)])
print([x for x in range(30) if x % 3 == 0 if x % 2 == 0])
print([(x, y) for x in range(3) for y in range(x)])
print([[r * c for c in range(4)] for r in range(3)])
print([c.upper() for c in "hello" if c not in "aeiou"])
print({x: x ** 3 for x in range(5)})
print({w: len(w) for w in "to be or not to be".split()})
print(sorted({c for c in "mississippi"}), sorted({x % 4 for x in range(100)}))
print(sum(x for x in range(101)), max(len(w) for w in ["a", "abc", "ab"]))
print(list(x * 2 for x in [1, 2, 3]), tuple(i for i in "ab"))
matrix = [[1, 2, 3], [4, 5, 6]]
print([row[i] for i in range(3) for row in matrix], [[row[i] for row in matrix] for i in range(3)])
flat = [v for row in matrix for v in row if v % 2]
print(flat)
x = "outer"
squares = [x for x in range(3)]
print(x, squares)
words = ["apple", "Bob", "cat", "Dog"]
print({w[0].lower(): w for w in words}, [w for w in words if w[0].isupper()])
print(any(w.startswith("c") for w in words), all(len(w) >= 3 for w in words))
pairs = {(a, b) for a in range(3) for b in range(3) if a < b}
print(sorted(pairs))
print({k: v for k, v in zip("abc", [1, 2, 3]) if v != 2})
n = 5
print([[1 if i == j else 0 for j in range(n)] for i in range(n)][2])
