# Beazley's countdown: the CPU-bound loop of the GIL talks, split across threads.
#
#   python3 data/workloads/countdown.py [COUNT [THREADS]]
#   gilscope run data/workloads/countdown.py [COUNT [THREADS]]
#   (or by name: --count=N --threads=N, also "--threads N")
#
# Counts COUNT (default 10,000,000) down to zero, split evenly across
# THREADS threads (default 2) that run at the same time; THREADS 0 counts
# in the main thread with no threading at all (the sequential baseline of
# the talks).  With the GIL, 2 threads are no faster than 1 (Python 3) or
# clearly slower (Python 2 on a multicore machine).
#
# stdout gets one deterministic line; the elapsed time goes to stderr.
import sys
import time
import threading

COUNT = 10_000_000
THREADS = 2


def count(n):
    while n > 0:
        n -= 1


def parse_args(argv, names, defaults):
    """Integer options: positional in the order of names, or --name=N / --name N."""
    values = list(defaults)
    pos = 0
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--"):
            key = arg[2:]
            val = None
            if "=" in key:
                key, val = key.split("=", 1)
            elif i + 1 < len(argv):
                i += 1
                val = argv[i]
            if key not in names or val is None:
                print("usage: countdown.py [COUNT [THREADS]] [--count=N] [--threads=N]", file=sys.stderr)
                sys.exit(64)
            values[names.index(key)] = int(val)
        else:
            if pos >= len(names):
                print("usage: countdown.py [COUNT [THREADS]]", file=sys.stderr)
                sys.exit(64)
            values[pos] = int(arg)
            pos += 1
        i += 1
    return values


def main():
    n, nthreads = parse_args(sys.argv[1:], ["count", "threads"], [COUNT, THREADS])
    if n < 0 or nthreads < 0:
        print("countdown.py: COUNT and THREADS must not be negative", file=sys.stderr)
        sys.exit(64)
    start = time.perf_counter()
    if nthreads == 0:
        count(n)
        how = "sequentially"
    else:
        threads = []
        for i in range(nthreads):
            share = n // nthreads + (1 if i < n % nthreads else 0)
            threads.append(threading.Thread(target=count, args=(share,), name="count-%d" % i))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        how = "in %d thread%s" % (nthreads, "" if nthreads == 1 else "s")
    elapsed = time.perf_counter() - start
    print("countdown %d %s: done" % (n, how))
    print("countdown %d %s: %.3f s (%.1f ns per iteration)"
          % (n, how, elapsed, elapsed * 1e9 / max(n, 1)), file=sys.stderr)


if __name__ == "__main__":
    main()
