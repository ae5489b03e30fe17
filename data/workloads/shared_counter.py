# Threads incrementing one shared counter, without and with a Lock.
#
#   python3 data/workloads/shared_counter.py [THREADS [INCREMENTS]]
#   gilscope run data/workloads/shared_counter.py [THREADS [INCREMENTS]]
#   (or by name: --threads=N --increments=N)
#
# `counter += 1` is a read, an add and a write: the GIL makes each bytecode
# atomic, not the three together, so a switch between them loses updates
# (rarely with CPython 3.10+, which switches only at backward jumps and
# calls; more often with the old tick-based GIL or with no GIL at all).
# With the Lock the total is always THREADS * INCREMENTS.
#
# stdout: only the locked total (deterministic); the unlocked total, the
# updates lost and the timings go to stderr.  Under --mode processes each
# process increments its own copy and the parent's counter stays 0:
# processes share no memory (that is what multiprocessing.Value is for).
import sys
import threading
import time

counter = 0


def add_unlocked(n):
    global counter
    for _ in range(n):
        counter += 1


def add_locked(n, lock):
    global counter
    for _ in range(n):
        with lock:
            counter += 1


def run(nthreads, target, args):
    threads = []
    for i in range(nthreads):
        threads.append(threading.Thread(target=target, args=args, name="adder-%d" % i))
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


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
                print("usage: shared_counter.py [THREADS [INCREMENTS]]", file=sys.stderr)
                sys.exit(64)
            values[names.index(key)] = int(val)
        else:
            if pos >= len(names):
                print("usage: shared_counter.py [THREADS [INCREMENTS]]", file=sys.stderr)
                sys.exit(64)
            values[pos] = int(arg)
            pos += 1
        i += 1
    return values


def main():
    global counter
    nthreads, increments = parse_args(sys.argv[1:], ["threads", "increments"], [4, 200000])
    if nthreads < 0 or increments < 0:
        print("shared_counter.py: THREADS and INCREMENTS must not be negative", file=sys.stderr)
        sys.exit(64)
    expected = nthreads * increments

    counter = 0
    t_unlocked = run(nthreads, add_unlocked, (increments,))
    unlocked = counter

    counter = 0
    lock = threading.Lock()
    t_locked = run(nthreads, add_locked, (increments, lock))
    locked = counter

    print("%d threads x %d increments with a Lock: %d (expected %d)" % (nthreads, increments, locked, expected))
    print("shared_counter: without a lock %d (%d lost) in %.3f s; with a lock %d in %.3f s"
          % (unlocked, expected - unlocked, t_unlocked, locked, t_locked), file=sys.stderr)


if __name__ == "__main__":
    main()
