# get(timeout=) raises queue.Empty, put(timeout=) raises queue.Full; a
# blocked get is woken by a put from another thread.
import queue
import threading
import time

q = queue.Queue(maxsize=1)
start = time.monotonic()
try:
    q.get(timeout=0.05)
except queue.Empty:
    print("Empty after", time.monotonic() - start >= 0.04)
q.put("x")
start = time.monotonic()
try:
    q.put("y", timeout=0.05)
except queue.Full:
    print("Full after", time.monotonic() - start >= 0.04)
print(q.get(timeout=1))
try:
    q.get(True, -1)
except ValueError as e:
    print("ValueError:", e)

# a blocked get() returns once another thread puts
got = []


def getter():
    got.append(q.get(timeout=5))


t = threading.Thread(target=getter)
t.start()
time.sleep(0.02)
q.put("hello")
t.join()
print(got)

# a blocked put() on a full queue returns once another thread gets
q.put(1)
done = []


def putter():
    q.put(2, timeout=5)
    done.append(True)


t = threading.Thread(target=putter)
t.start()
time.sleep(0.02)
print("putter blocked:", done)
print(q.get())
t.join()
print(q.get(), done)
