# Word frequencies with a dict, then sorted reports.
text = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was the
epoch of incredulity, it was the season of Light, it was the season of Darkness"""
counts = {}
for raw in text.split():
    w = raw.strip(",.").lower()
    counts[w] = counts.get(w, 0) + 1
print(len(counts), counts["was"], counts["it"], counts.get("nothing", 0))
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
for w, n in top[:6]:
    print("%-12s %3d %s" % (w, n, "*" * n))
by_len = {}
for w in counts:
    by_len.setdefault(len(w), []).append(w)
for n in sorted(by_len):
    print(n, sorted(by_len[n]))
letters = {}
for ch in text.lower():
    if ch.isalpha():
        letters[ch] = letters.get(ch, 0) + 1
print("".join(sorted(letters, key=lambda c: (-letters[c], c)))[:10])
lines = text.splitlines()
print(len(lines), [len(l.split()) for l in lines], max(lines, key=len)[:20])
