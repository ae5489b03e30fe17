# queue.Queue used from one thread: FIFO order, sizes, Empty and Full.
import queue

q = queue.Queue()
print(q.empty(), q.qsize(), q.full(), q.maxsize)
for i in range(5):
    q.put(i * i)
print(q.qsize(), q.empty())
print([q.get() for _ in range(5)])
try:
    q.get_nowait()
except queue.Empty:
    print("Empty raised")
try:
    q.get(block=False)
except queue.Empty as e:
    print("Empty again", repr(str(e)))

b = queue.Queue(maxsize=2)
b.put("a")
b.put_nowait("b")
print(b.full(), b.qsize())
try:
    b.put_nowait("c")
except queue.Full:
    print("Full raised")
try:
    b.put("c", block=False)
except queue.Full:
    print("Full again")
print(b.get(), b.get_nowait(), b.empty())

# mixed item types keep their identity
items = [None, (1, 2), "s", b"bytes", [3]]
for x in items:
    q.put(x)
print([q.get() for _ in items])

print(issubclass(queue.Empty, Exception), issubclass(queue.Full, Exception))
lifo = queue.LifoQueue()
for i in range(3):
    lifo.put(i)
print([lifo.get() for _ in range(3)])
