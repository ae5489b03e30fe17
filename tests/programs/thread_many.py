# Fifty threads at once; active_count and enumerate see them, then only main.
import threading

release = threading.Event()
started = threading.Semaphore(0)
squares = [None] * 50


def work(i):
    started.release()
    release.wait()
    squares[i] = i * i


threads = [threading.Thread(target=work, args=(i,), name="w%02d" % i) for i in range(50)]
print("before start:", threading.active_count())
for t in threads:
    t.start()
for _ in threads:
    started.acquire()
print("running:", threading.active_count())
names = sorted(t.name for t in threading.enumerate() if t.name.startswith("w"))
print(len(names), names[0], names[-1])
print(threading.main_thread() in threading.enumerate())
release.set()
for t in threads:
    t.join()
print("after join:", threading.active_count(), [t.name for t in threading.enumerate()])
print(sum(squares), squares[:5], squares[-1])

# threads that start threads
out = []
lock = threading.Lock()


def parent(k):
    kids = [threading.Thread(target=child, args=(k, j)) for j in range(3)]
    for c in kids:
        c.start()
    for c in kids:
        c.join()


def child(k, j):
    with lock:
        out.append(k * 10 + j)


ps = [threading.Thread(target=parent, args=(k,)) for k in range(4)]
for p in ps:
    p.start()
for p in ps:
    p.join()
print(sorted(out))
