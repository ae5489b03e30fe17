# notify_all wakes every waiter; notify(n) wakes n; wait_for checks a predicate.
import threading

cond = threading.Condition()
state = {"go": False, "ticket": 0}
woken = []
ready = threading.Semaphore(0)


def waiter(i):
    with cond:
        ready.release()
        cond.wait_for(lambda: state["go"])
        woken.append(i)


threads = [threading.Thread(target=waiter, args=(i,)) for i in range(6)]
for t in threads:
    t.start()
for _ in threads:
    ready.acquire()
with cond:
    state["go"] = True
    cond.notify_all()
for t in threads:
    t.join()
print(sorted(woken))

# notify(2) lets exactly two of four waiters through
passed = []


def ticket_waiter(i):
    with cond:
        ready.release()
        while state["ticket"] == 0:
            cond.wait()
        state["ticket"] -= 1
        passed.append(i)


threads = [threading.Thread(target=ticket_waiter, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for _ in threads:
    ready.acquire()
with cond:
    state["ticket"] = 2
    cond.notify(2)
for t in threads:
    t.join(0.2)
print("passed:", len(passed))
with cond:
    state["ticket"] = 2
    cond.notify_all()
for t in threads:
    t.join()
print("all passed:", sorted(passed))

# wait_for with a timeout returns the predicate's last value
with cond:
    print(cond.wait_for(lambda: False, timeout=0.05))
    print(cond.wait_for(lambda: 42, timeout=0.05))
