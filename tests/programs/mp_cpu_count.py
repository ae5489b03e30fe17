# cpu_count() is the machine's CPU count (os.cpu_count()), at least 1.
import multiprocessing
import os

n = multiprocessing.cpu_count()
print(n >= 1, n == os.cpu_count(), isinstance(n, int))
if __name__ == "__main__":
    with multiprocessing.Pool() as pool:
        print(len(pool.map(abs, range(-n, n))) == 2 * n)
