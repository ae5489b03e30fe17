# Ten sleepers: the demo of the 2011 slides.  Each thread calls
# time.sleep(1) and reports; because sleep releases the GIL, they all sleep
# at once and the whole run takes about one second, not ten.
#
#   python3 data/workloads/sleepers.py [THREADS [SECONDS]]
#   gilscope run data/workloads/sleepers.py [THREADS [SECONDS]]
#   (or by name: --threads=N --seconds=S)
#
# stdout: one line per sleeper in order (deterministic); the elapsed time
# and the speed-up over sleeping in turn go to stderr.  Sleepers report
# through a queue.Queue, so that --mode processes works too (and --mode
# sequential shows the ten seconds of sleeping in turn).
import queue
import sys
import threading
import time


def sleeper(i, seconds, woke):
    time.sleep(seconds)
    woke.put(i)


def parse_args(argv, names, defaults):
    """Options: positional in the order of names, or --name=V / --name V."""
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
                print("usage: sleepers.py [THREADS [SECONDS]]", file=sys.stderr)
                sys.exit(64)
            k = names.index(key)
        else:
            if pos >= len(names):
                print("usage: sleepers.py [THREADS [SECONDS]]", file=sys.stderr)
                sys.exit(64)
            k = pos
            val = arg
            pos += 1
        if isinstance(defaults[k], float):
            values[k] = float(val)
        else:
            values[k] = int(val)
        i += 1
    return values


def main():
    nthreads, seconds = parse_args(sys.argv[1:], ["threads", "seconds"], [10, 1.0])
    if nthreads < 0 or seconds < 0:
        print("sleepers.py: THREADS and SECONDS must not be negative", file=sys.stderr)
        sys.exit(64)
    woke = queue.Queue()
    threads = []
    for i in range(nthreads):
        threads.append(threading.Thread(target=sleeper, args=(i, seconds, woke), name="sleeper-%d" % i))
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    reported = []
    while not woke.empty():
        reported.append(woke.get())
    for i in sorted(reported):
        print("sleeper %d: woke after %g s" % (i, seconds))
    print("%d sleepers done" % len(reported))
    serial = nthreads * seconds
    print("sleepers: %d x %g s took %.3f s (%.1fx faster than in turn)"
          % (nthreads, seconds, elapsed, serial / max(elapsed, 1e-9)), file=sys.stderr)


if __name__ == "__main__":
    main()
