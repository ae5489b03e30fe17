# multiprocessing.Condition and Semaphore across processes: a child waits
# for a shared flag under a condition; a semaphore caps concurrent workers.
import multiprocessing
import time


def wait_for_flag(cond, flag, q):
    with cond:
        ok = cond.wait_for(lambda: flag.value == 1, 10)
    q.put(("woken", ok, flag.value))


def limited(sem, active, peak, q, i):
    with sem:
        with active.get_lock():
            active.value += 1
            if active.value > peak.value:
                peak.value = active.value
        time.sleep(0.02)
        with active.get_lock():
            active.value -= 1
    q.put(i)


if __name__ == "__main__":
    cond = multiprocessing.Condition()
    flag = multiprocessing.Value("i", 0)
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=wait_for_flag, args=(cond, flag, q))
    p.start()
    time.sleep(0.05)
    with cond:
        flag.value = 1
        cond.notify_all()
    print(q.get())
    p.join()
    with cond:
        print(cond.wait(0.01))

    sem = multiprocessing.Semaphore(2)
    active = multiprocessing.Value("i", 0)
    peak = multiprocessing.Value("i", 0)
    ps = [multiprocessing.Process(target=limited, args=(sem, active, peak, q, i)) for i in range(5)]
    for p in ps:
        p.start()
    got = sorted([q.get() for p in ps])
    for p in ps:
        p.join()
    print(got, peak.value <= 2, active.value)
    b = multiprocessing.BoundedSemaphore(1)
    b.acquire()
    b.release()
    try:
        b.release()
    except ValueError:
        print("ValueError")
