# Strings: indexing, slicing with any step, concatenation, membership, comparison.
s = "hello, world"
print(s[0], s[-1], s[4], s[-5])
print(s[0:5], s[7:], s[:5], s[-5:], s[:], s[::2], s[1::3])
print(s[::-1], s[-1:-6:-1], s[10:2:-2], s[::-3], s[5:0:-1])
print(repr(s[100:]), repr(s[5:2]), s[-100:3], s[2:-2])
print(len(s), len(""), len("a b"))
print("ab" + "cd", "ab" * 3, 3 * "-", "" * 10 == "")
print("lo" in s, "xyz" in s, "" in s, "z" not in s)
print("abc" < "abd", "abc" < "ab", "B" < "a", "abc" == "abc", "a" != "b")
print(min("hello"), max("hello"), sorted("banana"))
t = ""
for ch in "gilscope":
    t = ch + t
print(t)
print(list("abc"), tuple("xy"))
print(str(123) + str(4.5) + str(None) + str([1, 2]))
print("café", len("café"), "naïve"[2], "日本語"[::-1], len("日本語"))
words = "the quick brown fox".split()
print(words, "-".join(words), len(words))
print("a,b,,c".split(","), " x  y ".split(), "abc".split("b"))
i = 0
while i < len(s):
    if s[i] == "o":
        print("o at", i)
    i += 1
