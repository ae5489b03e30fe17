# Lock.acquire with a timeout while another thread holds the lock.
import threading
import time

lock = threading.Lock()
held = threading.Event()
done = threading.Event()


def holder():
    with lock:
        held.set()
        done.wait()


t = threading.Thread(target=holder)
t.start()
held.wait()
start = time.monotonic()
got = lock.acquire(timeout=0.1)
waited = time.monotonic() - start
print("acquired while held:", got)
print("waited the timeout:", 0.09 <= waited < 1.0)
print("non-blocking:", lock.acquire(False))
print("zero timeout:", lock.acquire(True, 0))
done.set()
t.join()
print("after the holder left:", lock.acquire(timeout=1.0))
lock.release()

try:
    lock.acquire(False, 1.0)
except ValueError as e:
    print("ValueError:", e)
try:
    lock.acquire(timeout=-5)
except ValueError as e:
    print("ValueError:", e)
print("timeout -1 means forever:", lock.acquire(timeout=-1))
lock.release()
