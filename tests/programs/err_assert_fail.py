# A failing assert at module level.
values = [3, 1, 2]
values.sort()
print(values)
assert values == [1, 2, 3], "sorted"
assert len(values) == 4, "expected four values, got %d" % len(values)
print("not reached")
