# list operations and methods.
xs = [3, 1, 4, 1, 5, 9, 2, 6]
print(xs, len(xs), xs[0], xs[-1], 4 in xs, 7 in xs, 7 not in xs)
xs.append(5); print(xs)
xs.extend([8, 9]); print(xs)
xs.insert(0, 0); xs.insert(100, 10); xs.insert(-1, 99); print(xs)
print(xs.pop(), xs.pop(0), xs.pop(-2), xs)
xs.remove(1); print(xs)
print(xs.index(5), xs.index(5, 4), xs.count(5), xs.count(42))
xs.reverse(); print(xs)
xs.sort(); print(xs)
xs.sort(reverse=True); print(xs)
words = ["pear", "Fig", "apple", "kiwi"]
words.sort(key=len); print(words)
words.sort(key=lambda w: w.lower()); print(words)
a = [1, 2]; b = a; b.append(3)
print(a, b, a is b, a == [1, 2, 3], a is [1, 2, 3])
c = a.copy()
c.append(4); print(a, c)
print([1, 2] + [3], [0] * 5, [[0] * 2] * 2, 2 * ["ab"])
print([1, 2, 3] < [1, 2, 4], [1, 2] < [1, 2, 0], [] == [], [1] != [1.0])
del xs[0]; print(xs)
m = [[1, 2], [3, 4]]
m[0][1] = 20; m[1].append(5); print(m, len(m[1]))
xs.clear(); print(xs, len(xs))
print(list(), list(range(4)), list((1, 2)), list("hi"), list({"a": 1, "b": 2}))
nums = []
for i in range(10):
    if i % 3:
        nums.append(i * i)
print(nums, sum(nums), min(nums), max(nums))
print(sorted([3, 1, 2]), sorted([3, 1, 2], reverse=True), [5, 6, 7][-3])
