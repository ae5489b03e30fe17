# Barrier: every party waits until all have arrived; each gets a distinct index.
import threading

barrier = threading.Barrier(4)
phases = []
indices = []
lock = threading.Lock()


def worker(i):
    with lock:
        phases.append(("before", i))
    index = barrier.wait()
    with lock:
        indices.append(index)
        phases.append(("after", i))


threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(indices))
first_after = [k for k, p in enumerate(phases) if p[0] == "after"][0]
print("everyone arrived before anyone left:", first_after == 4)
print(barrier.parties, barrier.n_waiting)
