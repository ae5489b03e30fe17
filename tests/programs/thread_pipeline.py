# A three-stage pipeline of threads linked by queues; order is preserved.
import queue
import threading

STOP = object()


def stage(func, inbox, outbox):
    while True:
        item = inbox.get()
        if item is STOP:
            outbox.put(STOP)
            return
        outbox.put(func(item))


q1 = queue.Queue()
q2 = queue.Queue(maxsize=5)
q3 = queue.Queue(maxsize=5)
out = queue.Queue()
stages = [
    threading.Thread(target=stage, args=(lambda x: x + 1, q1, q2), name="inc"),
    threading.Thread(target=stage, args=(lambda x: x * 3, q2, q3), name="triple"),
    threading.Thread(target=stage, args=(str, q3, out), name="text"),
]
for s in stages:
    s.start()
for i in range(40):
    q1.put(i)
q1.put(STOP)
results = []
while True:
    item = out.get()
    if item is STOP:
        break
    results.append(item)
for s in stages:
    s.join()
print(len(results))
print(results[:5], results[-1])
print(results == [str((i + 1) * 3) for i in range(40)])
print([s.is_alive() for s in stages])
