# time.sleep releases the GIL: two threads sleeping 0.2 s finish together.
import threading
import time

woke = []
lock = threading.Lock()


def nap(i):
    time.sleep(0.2)
    with lock:
        woke.append(i)


start = time.monotonic()
threads = [threading.Thread(target=nap, args=(i,)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - start
print(sorted(woke))
print("slept at the same time:", elapsed < 0.35)

# a sleeper does not stop a CPU-bound thread from running
counted = []


def count():
    n = 0
    while n < 200000:
        n += 1
    counted.append(n)


start = time.monotonic()
s = threading.Thread(target=time.sleep, args=(0.3,))
c = threading.Thread(target=count)
s.start()
c.start()
c.join()
cpu_done = time.monotonic() - start
s.join()
print(counted, "counted while the other slept:", cpu_done < 0.3)
print("sleep(0) returns:", time.sleep(0))
