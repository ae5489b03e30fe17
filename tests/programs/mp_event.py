# multiprocessing.Event: children wait for the parent's signal; wait with a
# timeout returns False when nobody sets it.
import multiprocessing


def waiter(start, done, q, i):
    start.wait()
    q.put(i)
    done.set()


if __name__ == "__main__":
    start = multiprocessing.Event()
    done = multiprocessing.Event()
    q = multiprocessing.Queue()
    ps = [multiprocessing.Process(target=waiter, args=(start, done, q, i)) for i in range(3)]
    for p in ps:
        p.start()
    print(start.is_set(), done.is_set(), done.wait(0.05))
    start.set()
    print(sorted([q.get() for p in ps]))
    for p in ps:
        p.join()
    print(start.is_set(), done.is_set(), done.wait(1))
    start.clear()
    print(start.is_set(), start.wait(0.01))
