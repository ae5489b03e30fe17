# BoundedSemaphore raises when released more often than acquired.
import threading

b = threading.BoundedSemaphore(2)
print(b.acquire(), b.acquire(), b.acquire(False))
b.release()
b.release()
try:
    b.release()
except ValueError as e:
    print("ValueError:", e)
print(isinstance(b, threading.Semaphore))

# a pool of two slots shared by worker threads
pool = threading.BoundedSemaphore(2)
log = []
log_lock = threading.Lock()


def use(i):
    pool.acquire()
    try:
        with log_lock:
            log.append(i)
    finally:
        pool.release()


threads = [threading.Thread(target=use, args=(i,)) for i in range(10)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(log))
print(pool.acquire(False), pool.acquire(False), pool.acquire(False))
