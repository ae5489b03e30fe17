# Producers and consumers around one queue.Queue: every item produced is
# consumed exactly once, and the sums say so.
#
#   python3 data/workloads/producer_consumer.py [PRODUCERS [CONSUMERS [ITEMS [MAXSIZE]]]]
#   gilscope run data/workloads/producer_consumer.py [...]
#   (or by name: --producers=N --consumers=N --items=N --maxsize=N)
#
# Each of PRODUCERS (default 2) puts ITEMS (default 60000) integers; each of
# CONSUMERS (default 2) gets them until a None sentinel, calling task_done;
# the main thread waits with Queue.join() before sending the sentinels.
# MAXSIZE (default 100, 0 = unbounded) makes producers block when the
# consumers fall behind.
#
# stdout: the checked totals (deterministic); throughput goes to stderr.
# Consumers report through a second Queue, so that --mode processes works
# too; --mode sequential cannot run it (consumers wait for producers).
import queue
import sys
import threading
import time


def produce(q, first, count):
    for i in range(first, first + count):
        q.put(i)


def consume(q, index, results):
    total = 0
    n = 0
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            break
        total += item
        n += 1
        q.task_done()
    results.put((index, total, n))


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
                print("usage: producer_consumer.py [PRODUCERS [CONSUMERS [ITEMS [MAXSIZE]]]]", file=sys.stderr)
                sys.exit(64)
            values[names.index(key)] = int(val)
        else:
            if pos >= len(names):
                print("usage: producer_consumer.py [PRODUCERS [CONSUMERS [ITEMS [MAXSIZE]]]]", file=sys.stderr)
                sys.exit(64)
            values[pos] = int(arg)
            pos += 1
        i += 1
    return values


def main():
    nprod, ncons, items, maxsize = parse_args(sys.argv[1:], ["producers", "consumers", "items", "maxsize"],
                                              [2, 2, 60000, 100])
    if nprod < 0 or ncons < 1 or items < 0 or maxsize < 0:
        print("producer_consumer.py: bad arguments (at least one consumer)", file=sys.stderr)
        sys.exit(64)
    q = queue.Queue(maxsize)
    results = queue.Queue()
    sums = [0] * ncons
    counts = [0] * ncons
    producers = []
    for p in range(nprod):
        producers.append(threading.Thread(target=produce, args=(q, p * items, items), name="producer-%d" % p))
    consumers = []
    for c in range(ncons):
        consumers.append(threading.Thread(target=consume, args=(q, c, results), name="consumer-%d" % c))
    start = time.perf_counter()
    for t in consumers:
        t.start()
    for t in producers:
        t.start()
    for t in producers:
        t.join()
    q.join()
    for c in range(ncons):
        q.put(None)
    for t in consumers:
        t.join()
    elapsed = time.perf_counter() - start
    for _ in range(ncons):
        index, total, count = results.get()
        sums[index] = total
        counts[index] = count
    n = nprod * items
    expected = n * (n - 1) // 2
    print("producers %d, consumers %d, items %d" % (nprod, ncons, n))
    print("consumed %d items, sum %d: %s" % (sum(counts), sum(sums), "ok" if sum(counts) == n and sum(sums) == expected else "WRONG"))
    print("queue empty at the end: %s" % q.empty())
    print("producer_consumer: %d items in %.3f s: %.0f items per second; per consumer: %s"
          % (n, elapsed, n / max(elapsed, 1e-9), counts), file=sys.stderr)


if __name__ == "__main__":
    main()
