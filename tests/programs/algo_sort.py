# Sorting algorithms written out, checked against sorted().
def bubble(xs):
    xs = list(xs)
    n = len(xs)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
                swapped = True
        if not swapped:
            break
    return xs
def quick(xs):
    if len(xs) <= 1:
        return list(xs)
    pivot = xs[len(xs) // 2]
    return quick([x for x in xs if x < pivot]) + [x for x in xs if x == pivot] + quick([x for x in xs if x > pivot])
def merge_sort(xs):
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    a, b = merge_sort(xs[:mid]), merge_sort(xs[mid:])
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i]); i += 1
        else:
            out.append(b[j]); j += 1
    return out + a[i:] + b[j:]
def insertion(xs):
    xs = xs[:]
    for i in range(1, len(xs)):
        key = xs[i]
        j = i - 1
        while j >= 0 and xs[j] > key:
            xs[j + 1] = xs[j]
            j -= 1
        xs[j + 1] = key
    return xs
seed = 12345
def rand():
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed
data = [rand() % 1000 for _ in range(300)]
print(data[:10])
ref = sorted(data)
for f in (bubble, quick, merge_sort, insertion):
    r = f(data)
    print(r == ref, r[:5], r[-3:])
words = "the quick brown fox jumps over the lazy dog".split()
print(quick(words), merge_sort(words) == sorted(words))
print(sorted(data, reverse=True)[:5], data[:3])
