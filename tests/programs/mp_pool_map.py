# Pool.map and starmap: results in input order, whatever the worker.
import multiprocessing
import os


def square(x):
    return x * x


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def worker_pid(x):
    return os.getpid()


def power(a, b):
    return a ** b


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(square, range(12)))
        print(pool.map(collatz_steps, [1, 7, 27, 97, 871]))
        print(pool.starmap(power, [(2, 10), (3, 4), (10, 3)]))
        print(pool.map(square, []))
        pids = pool.map(worker_pid, range(20))
        print(os.getpid() not in pids, len(set(pids)) <= 2)
        print(pool.map(len, ["a", "bb", "ccc"]))
    pool = multiprocessing.Pool(processes=3)
    print(sum(pool.map(square, range(100))))
    pool.close()
    pool.join()
    try:
        pool.map(square, [1])
    except ValueError as e:
        print("ValueError:", e)
