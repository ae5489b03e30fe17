# Stress: P producers and C consumers share one queue.Queue; every item is
# consumed exactly once.  Prints one line that does not depend on timing.
#
#   gilscope run tests/stress/queue_mpmc.py [PRODUCERS CONSUMERS ITEMS]
import sys
import threading
import queue

P = int(sys.argv[1]) if len(sys.argv) > 1 else 32
C = int(sys.argv[2]) if len(sys.argv) > 2 else 32
N = int(sys.argv[3]) if len(sys.argv) > 3 else 200

q = queue.Queue(maxsize=64)
lock = threading.Lock()
got = []


def producer(k):
    for i in range(N):
        q.put(k * N + i)


def consumer():
    mine = []
    while True:
        item = q.get()
        if item is None:
            break
        mine.append(item)
    with lock:
        got.extend(mine)


cs = [threading.Thread(target=consumer, name="consumer-%d" % i) for i in range(C)]
ps = [threading.Thread(target=producer, args=(k,), name="producer-%d" % k) for k in range(P)]
for t in cs + ps:
    t.start()
for t in ps:
    t.join()
for _ in cs:
    q.put(None)
for t in cs:
    t.join()
got.sort()
print("items", len(got), "unique", len(set(got)), "all", got == list(range(P * N)))
