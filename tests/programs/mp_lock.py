# multiprocessing.Lock and RLock shared by processes: a lock-protected
# read-modify-write of a shared Value never loses an update.
import multiprocessing


def bump(counter, lock, n):
    for i in range(n):
        lock.acquire()
        try:
            counter.value = counter.value + 1
        finally:
            lock.release()


def bump_rlock(counter, rlock, n):
    for i in range(n):
        with rlock:
            with rlock:
                counter.value = counter.value + 1


if __name__ == "__main__":
    counter = multiprocessing.Value("i", 0, lock=False)
    lock = multiprocessing.Lock()
    ps = [multiprocessing.Process(target=bump, args=(counter, lock, 1000)) for i in range(4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("lock:", counter.value)

    rlock = multiprocessing.RLock()
    counter.value = 0
    ps = [multiprocessing.Process(target=bump_rlock, args=(counter, rlock, 500)) for i in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("rlock:", counter.value)

    print(lock.acquire(False), lock.acquire(False), lock.acquire(True, 0.01))
    lock.release()
    print(rlock.acquire(), rlock.acquire())
    rlock.release()
    rlock.release()
    try:
        rlock.release()
    except AssertionError as e:
        print("AssertionError:", e)
