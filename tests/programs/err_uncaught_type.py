# TypeError from adding incompatible types.
def total(items):
    t = 0
    for x in items:
        t = t + x
        print("running total", t)
    return t
total([1, 2, "3"])
