# Timer runs a function once after a delay; cancel() before it fires stops it.
import threading
import time

fired = []
t = threading.Timer(0.05, fired.append, args=["first"])
start = time.monotonic()
t.start()
t.join()
print(fired, "after the delay:", time.monotonic() - start >= 0.04)

c = threading.Timer(5.0, fired.append, args=["never"])
c.start()
c.cancel()
c.join(2)
print(fired, "cancelled timer finished:", not c.is_alive())

kw = {}


def store(a, b=0):
    kw["sum"] = a + b


k = threading.Timer(0.01, store, args=(1,), kwargs={"b": 41})
k.start()
k.join()
print(kw)
print(isinstance(k, threading.Thread))

# several timers fire in the order of their delays (150 ms apart: a loaded
# machine delays a thread by tens of ms, which reordered timers 30 ms apart)
order = []
lock = threading.Lock()


def note(x):
    with lock:
        order.append(x)


timers = [threading.Timer(0.15 * (3 - i), note, args=(i,)) for i in range(3)]
for tm in timers:
    tm.start()
for tm in timers:
    tm.join()
print(order)
