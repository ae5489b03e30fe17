# Nested containers: building, querying and printing (reprs of mixed nesting).
inventory = {
    "fruit": [{"name": "apple", "qty": 3, "tags": ("red", "sweet")},
              {"name": "lime", "qty": 0, "tags": ("green",)}],
    "veg": [{"name": "leek", "qty": 7, "tags": ()}],
}
print(inventory)
for cat in inventory:
    names = [item["name"] for item in inventory[cat] if item["qty"] > 0]
    print(cat, names, sum(i["qty"] for i in inventory[cat]))
inventory["veg"].append({"name": "kale", "qty": 2, "tags": ("green", "leafy")})
green = sorted(i["name"] for c in inventory.values() for i in c if "green" in i["tags"])
print(green)
tree = [1, [2, [3, [4]], 5], [[6, 7], 8]]
def total(t):
    return sum(total(x) if isinstance(x, list) else x for x in t)
def depth(t):
    return 1 + max([depth(x) for x in t if isinstance(x, list)] + [0])
print(tree, total(tree), depth(tree))
matrix = {(r, c): r * 3 + c for r in range(3) for c in range(3)}
print(matrix[(2, 1)], [matrix[(i, i)] for i in range(3)])
print([[None, True], {"k": [1.5, "s"]}, ("t", ["u"]), "q'uote", 'd"q'])
empty = {"list": [], "dict": {}, "tuple": (), "str": ""}
print(empty, [k for k, v in empty.items() if not v])
