# Condition: a consumer waits until a producer notifies; items arrive in order.
import threading

cond = threading.Condition()
buffer = []
consumed = []
DONE = -1


def producer():
    for i in range(20):
        with cond:
            buffer.append(i)
            cond.notify()
    with cond:
        buffer.append(DONE)
        cond.notify()


def consumer():
    while True:
        with cond:
            while not buffer:
                cond.wait()
            item = buffer.pop(0)
        if item == DONE:
            break
        consumed.append(item)


c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
p.join()
c.join()
print(consumed)

# wait() without holding the lock, and notify() without it, are errors
try:
    cond.wait()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    cond.notify()
except RuntimeError as e:
    print("RuntimeError:", e)

# wait(timeout) with nobody notifying returns False
with cond:
    print("wait timed out ->", cond.wait(0.05))

# a Condition over an explicit RLock
rc = threading.Condition(threading.RLock())
with rc:
    with rc:
        print("nested acquire of the RLock-based condition ok")
