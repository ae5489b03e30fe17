# A bounded buffer built from a Lock and two Conditions (Queue's design),
# with three producers and two consumers.
import threading


class BoundedBuffer:
    def __init__(self, size):
        self.items = []
        self.size = size
        self.lock = threading.Lock()
        self.not_full = threading.Condition(self.lock)
        self.not_empty = threading.Condition(self.lock)
        self.max_seen = 0

    def put(self, item):
        with self.not_full:
            while len(self.items) >= self.size:
                self.not_full.wait()
            self.items.append(item)
            self.max_seen = max(self.max_seen, len(self.items))
            self.not_empty.notify()

    def get(self):
        with self.not_empty:
            while not self.items:
                self.not_empty.wait()
            item = self.items.pop(0)
            self.not_full.notify()
            return item


buf = BoundedBuffer(3)
got = [[], []]


def producer(base):
    for i in range(100):
        buf.put(base + i)


def consumer(k):
    while True:
        item = buf.get()
        if item is None:
            return
        got[k].append(item)


cons = [threading.Thread(target=consumer, args=(k,)) for k in range(2)]
prods = [threading.Thread(target=producer, args=(1000 * p,)) for p in range(3)]
for t in cons + prods:
    t.start()
for t in prods:
    t.join()
buf.put(None)
buf.put(None)
for t in cons:
    t.join()
everything = sorted(got[0] + got[1])
print(len(everything), everything[0], everything[-1])
print(everything == sorted(list(range(100)) + list(range(1000, 1100)) + list(range(2000, 2100))))
print("never over capacity:", buf.max_seen <= 3)
# each producer's items come out in the order they went in
for p in range(3):
    mine = [x for x in got[0] if x // 1000 == p]
    print(p, mine == sorted(mine))
