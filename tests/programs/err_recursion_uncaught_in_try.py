# A RecursionError caught, then a different uncaught error afterwards.
def deep(n):
    return deep(n + 1) + 1
try:
    deep(0)
except RecursionError:
    print("recursion caught")
items = {"a": 1}
print(items["a"])
raise RuntimeError("finished with an error")
