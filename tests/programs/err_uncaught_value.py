# An uncaught ValueError after some output: traceback on stderr, nonzero exit.
def parse_all(items):
    out = []
    for s in items:
        out.append(int(s))
        print("parsed", s)
    return out
print("start")
parse_all(["1", "22", "x3", "4"])
print("never printed")
