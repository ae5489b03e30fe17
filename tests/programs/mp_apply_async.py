# Pool.apply_async: AsyncResult.get with a timeout, callbacks, ready and
# successful, and an exception raised in a worker re-raised by get().
import multiprocessing
import time


class Oops(Exception):
    pass


def slow_add(a, b, delay=0.0):
    time.sleep(delay)
    return a + b


def fail(x):
    raise Oops("worker failed on %d" % x)


results = []


def collect(value):
    results.append(value)


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        r = pool.apply_async(slow_add, (2, 3))
        print(r.get(timeout=10))
        print(r.ready(), r.successful())
        rs = [pool.apply_async(slow_add, (i, i), {"delay": 0.01}) for i in range(5)]
        print([x.get(10) for x in rs])
        slow = pool.apply_async(slow_add, (1, 1), {"delay": 0.5})
        try:
            slow.get(timeout=0.01)
        except multiprocessing.TimeoutError:
            print("TimeoutError")
        print(slow.get(timeout=10))
        bad = pool.apply_async(fail, (7,))
        try:
            bad.get(timeout=10)
        except Oops as e:
            print("Oops:", e)
        print(bad.successful())
        cb = pool.apply_async(slow_add, (10, 20), callback=collect)
        cb.wait(10)
        print(cb.get(), results)
        print(pool.apply(slow_add, (4, 5)))
        m = pool.map_async(slow_add, [])
        print(m.get(timeout=1))
