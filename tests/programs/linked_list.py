# A linked list class with iteration, length, indexing and reversal.
class Node:
    def __init__(self, value, next=None):
        self.value = value
        self.next = next
class LinkedList:
    def __init__(self, items=()):
        self.head = None
        self.size = 0
        for x in reversed(list(items)):
            self.push(x)
    def push(self, v):
        self.head = Node(v, self.head)
        self.size += 1
    def __len__(self):
        return self.size
    def __iter__(self):
        return ListIter(self.head)
    def __getitem__(self, i):
        if i < 0:
            i += self.size
        node = self.head
        for _ in range(i):
            if node is None:
                break
            node = node.next
        if node is None or i < 0:
            raise IndexError("linked list index out of range")
        return node.value
    def reverse(self):
        prev, cur = None, self.head
        while cur:
            cur.next, prev, cur = prev, cur, cur.next
        self.head = prev
    def __repr__(self):
        return "LinkedList(" + repr(list(self)) + ")"
class ListIter:
    def __init__(self, node):
        self.node = node
    def __iter__(self):
        return self
    def __next__(self):
        if self.node is None:
            raise StopIteration
        v = self.node.value
        self.node = self.node.next
        return v
ll = LinkedList([1, 2, 3, 4])
print(ll, len(ll), ll[0], ll[-1], ll[2])
ll.push(0)
ll.reverse()
print(ll, sum(ll), [x * 10 for x in ll])
try:
    ll[10]
except IndexError as e:
    print("IndexError:", e)
big = LinkedList(range(1000))
print(len(big), big[999], sum(big))
