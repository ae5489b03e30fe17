# string-building loop: concatenation, str(), slicing, joins.
def run(rounds):
    total = 0
    for r in range(rounds):
        s = ""
        for i in range(50):
            s += str(i + r)
        parts = []
        for i in range(0, len(s), 7):
            parts.append(s[i:i + 7])
        total += len("-".join(parts))
    return total
print(run(20000))
