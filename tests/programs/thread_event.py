# Event: set/wait/clear/is_set, and wait(timeout).
import threading
import time

e = threading.Event()
print(e.is_set())
start = time.monotonic()
print(e.wait(0.05))
print("timed out after the timeout:", time.monotonic() - start >= 0.04)
e.set()
print(e.is_set(), e.wait(), e.wait(0))
e.clear()
print(e.is_set())

# several threads wait for one start signal, then report through a second event
start_signal = threading.Event()
arrived = []
lock = threading.Lock()
all_in = threading.Event()


def runner(i):
    start_signal.wait()
    with lock:
        arrived.append(i)
        if len(arrived) == 5:
            all_in.set()


threads = [threading.Thread(target=runner, args=(i,)) for i in range(5)]
for t in threads:
    t.start()
print("before the signal:", arrived)
start_signal.set()
print("all arrived:", all_in.wait(5))
for t in threads:
    t.join()
print(sorted(arrived))
