# Semaphore(2) lets at most two threads in at once.
import threading
import time

sem = threading.Semaphore(2)
lock = threading.Lock()
state = {"inside": 0, "max": 0}
done = []


def worker(i):
    with sem:
        with lock:
            state["inside"] += 1
            state["max"] = max(state["max"], state["inside"])
        time.sleep(0.02)
        with lock:
            state["inside"] -= 1
            done.append(i)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("max inside:", state["max"])
print("done:", sorted(done))

s = threading.Semaphore(1)
print(s.acquire())
print(s.acquire(blocking=False))
print(s.acquire(timeout=0.05))
s.release()
s.release(2)
print(s.acquire(False), s.acquire(False), s.acquire(False), s.acquire(False))
try:
    threading.Semaphore(-1)
except ValueError as e:
    print("ValueError:", e)
