# Lock: acquire/release/locked, non-blocking acquire, with, errors.
import threading

lock = threading.Lock()
print(lock.locked())
print(lock.acquire())
print(lock.locked())
print(lock.acquire(False))
print(lock.acquire(blocking=False))
lock.release()
print(lock.locked())

with lock:
    print("inside with:", lock.locked())
print("after with:", lock.locked())

try:
    lock.release()
except RuntimeError as e:
    print("RuntimeError:", e)

# the with block releases on an exception too
try:
    with lock:
        raise ValueError("boom")
except ValueError as e:
    print("caught", e, lock.locked())

# a lock may be released by another thread than the one that took it
lock.acquire()
t = threading.Thread(target=lock.release)
t.start()
t.join()
print("released by another thread:", lock.locked())

# a thread blocks on a held lock until it is released
order = []
lock.acquire()


def waiter():
    with lock:
        order.append("waiter got it")


w = threading.Thread(target=waiter)
w.start()
order.append("main releases")
lock.release()
w.join()
print(order)
print(type(lock).__name__ in ("lock", "LockType"))
