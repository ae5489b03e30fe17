# Matrices as lists of lists.
def matmul(a, b):
    n, m, p = len(a), len(b), len(b[0])
    return [[sum(a[i][k] * b[k][j] for k in range(m)) for j in range(p)] for i in range(n)]
def identity(n):
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]
def transpose(a):
    return [list(row) for row in zip(*a)]
def mpow(a, e):
    r = identity(len(a))
    while e:
        if e & 1:
            r = matmul(r, a)
        a = matmul(a, a)
        e >>= 1
    return r
A = [[1, 2, 3], [4, 5, 6]]
B = [[7, 8], [9, 10], [11, 12]]
print(matmul(A, B), transpose(A))
print(mpow([[1, 1], [1, 0]], 50)[0][1])
for row in identity(3):
    print(" ".join(str(x) for x in row))
def det(m):
    if len(m) == 1:
        return m[0][0]
    total = 0
    for c in range(len(m)):
        minor = [row[:c] + row[c + 1:] for row in m[1:]]
        total += (-1) ** c * m[0][c] * det(minor)
    return total
print(det([[2, 0, 1], [1, 3, 2], [1, 1, 1]]), det(identity(4)))
F = [[0.5, 0.25], [0.125, 1.0]]
print(matmul(F, F))
grid = [[(r * 7 + c * 3) % 10 for c in range(5)] for r in range(4)]
for row in grid:
    print(row, sum(row), max(row))
print([sum(col) for col in zip(*grid)])
