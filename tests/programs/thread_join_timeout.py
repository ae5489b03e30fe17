# join(timeout) returns after the timeout while the thread is still alive.
import threading
import time

go = threading.Event()
log = []


def waiter():
    go.wait()
    log.append("released")


t = threading.Thread(target=waiter)
print("before start:", t.is_alive())
t.start()
print("after start:", t.is_alive())
start = time.monotonic()
r = t.join(timeout=0.1)
waited = time.monotonic() - start
print("join returned", r)
print("still alive:", t.is_alive())
print("waited about the timeout:", 0.09 <= waited < 1.0)
go.set()
t.join()
print("after join:", t.is_alive(), log)

# join with a timeout on a finished thread returns at once
start = time.monotonic()
t.join(5)
print("finished join quick:", time.monotonic() - start < 1.0)

# joining a thread that was never started, or joining oneself, is an error
u = threading.Thread(target=waiter)
try:
    u.join()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    threading.current_thread().join()
except RuntimeError as e:
    print("RuntimeError:", e)
