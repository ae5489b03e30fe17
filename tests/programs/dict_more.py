# dict: order after deletion and reinsertion, nested dicts, popitem, keys views.
d = {}
for i in range(10):
    d[i * 7 % 10] = i
print(d)
for k in [3, 5, 7]:
    del d[k]
print(d)
d[5] = "back"
print(list(d.items())[-2:])
print(d.popitem(), d.popitem(), len(d))
nested = {"a": {"x": 1, "y": [1, 2]}, "b": {}}
nested["b"]["z"] = nested["a"]["y"]
nested["a"]["y"].append(3)
print(nested)
print(sorted({"pear": 3, "apple": 1, "fig": 2}))
keys = {"k1": 1, "k2": 2}.keys()
print(list(keys), "k1" in keys, len(keys))
big = {}
for i in range(1000):
    big["key%d" % i] = i
total = 0
for i in range(0, 1000, 7):
    total += big["key%d" % i]
print(len(big), total, big["key999"])
for i in range(0, 1000, 2):
    del big["key%d" % i]
print(len(big), list(big)[:3], "key2" in big, "key3" in big)
print({1: "a", 1.0: "b"}, {True: 1, 1: 2})
print(dict.fromkeys(["a", "b"], 0))
