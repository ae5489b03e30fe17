# Many threads update shared state under a Lock: nothing is lost.
import threading

counter = 0
lock = threading.Lock()
per_thread = {}


def add(name, n):
    global counter
    mine = 0
    for _ in range(n):
        with lock:
            counter += 1
        mine += 1
    with lock:
        per_thread[name] = mine


threads = [threading.Thread(target=add, args=("t%d" % i, 5000)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
for name in sorted(per_thread):
    print(name, per_thread[name])

# a list appended to by several threads keeps every item
items = []


def fill(base):
    for i in range(1000):
        items.append(base + i)


threads = [threading.Thread(target=fill, args=(k * 1000,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(items), sorted(items) == list(range(4000)))
