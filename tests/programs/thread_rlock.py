# RLock: re-entrant acquisition by its owner; other threads wait.
import threading

r = threading.RLock()
print(r.acquire())
print(r.acquire())
print(r.acquire(blocking=False))
r.release()
r.release()
r.release()
try:
    r.release()
except RuntimeError as e:
    print("RuntimeError:", e)


def nested(depth):
    with r:
        if depth == 0:
            return 0
        return 1 + nested(depth - 1)


print("nested:", nested(5))

# another thread cannot take it while it is held, nor release it
results = []
r.acquire()
r.acquire()


def other():
    results.append(r.acquire(blocking=False))
    try:
        r.release()
    except RuntimeError as e:
        results.append("RuntimeError: " + str(e))


t = threading.Thread(target=other)
t.start()
t.join()
print(results)
r.release()
r.release()
results.clear()


def take_and_give():
    results.append(r.acquire(timeout=1))
    r.release()


t = threading.Thread(target=take_and_give)
t.start()
t.join()
print(results)
