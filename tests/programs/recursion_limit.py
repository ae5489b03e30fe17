# Runaway recursion raises RecursionError, which can be caught; afterwards
# the interpreter still works.
def forever(n):
    return forever(n + 1)
try:
    forever(0)
except RecursionError:
    print("caught RecursionError")
def down(n):
    if n == 0:
        return 0
    return 1 + down(n - 1)
print(down(300))
class Node:
    def __init__(self):
        self.child = self
    def depth(self):
        return 1 + self.child.depth()
try:
    Node().depth()
except RecursionError as e:
    print("caught again:", isinstance(e, RuntimeError))
def mutual_a(n):
    return mutual_b(n + 1)
def mutual_b(n):
    return mutual_a(n + 1)
for attempt in range(3):
    try:
        mutual_a(0)
    except RecursionError:
        print("attempt", attempt, "caught")
print(down(200), "still fine")
