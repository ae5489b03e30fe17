# list/dict-heavy loop: build lists, index them, count into a dict.
def run(rounds):
    counts = {}
    total = 0
    for r in range(rounds):
        xs = []
        for i in range(100):
            xs.append((i * 7 + r) % 50)
        for x in xs:
            counts[x] = counts.get(x, 0) + 1
        total += xs[r % 100] + len(counts)
    return total, len(counts), counts[7]
print(run(20000))
