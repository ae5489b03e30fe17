# ZeroDivisionError from nested function calls.
def average(xs):
    return sum(xs) / len(xs)
def report(groups):
    for name in groups:
        print(name, average(groups[name]))
report({"a": [1, 2, 3], "b": [10], "c": []})
