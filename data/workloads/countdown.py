# Beazley's countdown: the CPU-bound loop of the GIL talks.
#
#   python3 data/workloads/countdown.py [COUNT]
#   gilscope run data/workloads/countdown.py [COUNT]
#
# Counts COUNT (default 10,000,000) down to zero and prints the elapsed time.
import sys
import time

COUNT = 10_000_000


def count(n):
    while n > 0:
        n -= 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else COUNT
    start = time.perf_counter()
    count(n)
    elapsed = time.perf_counter() - start
    print("countdown %d: %.3f s (%.1f ns per iteration)" % (n, elapsed, elapsed * 1e9 / max(n, 1)))


if __name__ == "__main__":
    main()
