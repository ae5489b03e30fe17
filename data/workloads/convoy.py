# The convoy effect (bpo-7946): an I/O thread ping-pongs small messages with
# an echo server over socket.socketpair(), beside CPU-bound threads.  The
# echo server is a separate process (as in Beazley's and tenthousandmeters'
# experiments, whose clients were other programs): it must not share the GIL,
# or the two ends of the ping-pong would run each other while the CPU thread
# waits, instead of waiting for it.
#
#   python3 data/workloads/convoy.py [CPU_THREADS [SECONDS [SIZE]]]
#   gilscope run data/workloads/convoy.py [CPU_THREADS [SECONDS [SIZE]]]
#   (or by name: --cpu-threads=N --seconds=S --size=BYTES --rounds=N)
#
# CPU_THREADS (default 1) spin in `while True: n += 1`; the client sends
# SIZE-byte messages (default 16) for SECONDS (default 1.0), or exactly
# --rounds round trips when that is given.  Every recv/send releases the
# GIL even when the data is already there, and must take it back from a
# CPU-bound thread: under Python 3's GIL each round trip then costs about
# one switch interval (5 ms) instead of microseconds.  CPU_THREADS 0 is the
# baseline.
#
# stdout gets deterministic lines (whether every echo matched); the round
# trips per second go to stderr.  Results travel through queue.Queue, the
# CPU threads' stop signal through threading.Event and the echo server's as
# a message of "!"s, so that --mode processes works too;
# --mode sequential cannot run it (the client waits for the CPU threads).
import multiprocessing
import queue
import socket
import sys
import threading
import time

def spin(stop):
    n = 0
    while True:
        n += 1
        if n % 10000 == 0 and stop.is_set():
            break


def recv_exactly(sock, size):
    chunks = []
    got = 0
    while got < size:
        chunk = sock.recv(size - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def echo(sock, size):
    stop = b"!" * size
    while True:
        data = recv_exactly(sock, size)
        if len(data) < size or data == stop:
            break
        sock.sendall(data)
    sock.close()


def client(sock, size, seconds, rounds, results):
    trips = 0
    bad = 0
    lat = []
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        if rounds > 0:
            if trips >= rounds:
                break
        elif time.perf_counter() >= deadline:
            break
        msg = ("%d" % trips).rjust(size, "-")[-size:].encode()
        t0 = time.perf_counter()
        sock.sendall(msg)
        if recv_exactly(sock, size) != msg:
            bad += 1
        lat.append(time.perf_counter() - t0)
        trips += 1
    lat.sort()
    p50 = lat[len(lat) // 2] if lat else 0.0
    p99 = lat[min(len(lat) - 1, len(lat) * 99 // 100)] if lat else 0.0
    results.put((trips, bad, time.perf_counter() - start, p50, p99))
    # an explicit stop: under --mode processes the echo process holds both
    # ends of the pair, so closing ours would never reach it as EOF
    sock.sendall(b"!" * size)
    sock.close()


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
                print("usage: convoy.py [CPU_THREADS [SECONDS [SIZE]]] [--rounds=N]", file=sys.stderr)
                sys.exit(64)
            k = names.index(key)
        else:
            if pos >= 3:
                print("usage: convoy.py [CPU_THREADS [SECONDS [SIZE]]] [--rounds=N]", file=sys.stderr)
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
    ncpu, seconds, size, rounds = parse_args(sys.argv[1:], ["cpu-threads", "seconds", "size", "rounds"],
                                             [1, 1.0, 16, 0])
    if ncpu < 0 or seconds < 0 or size < 1 or rounds < 0:
        print("convoy.py: bad arguments", file=sys.stderr)
        sys.exit(64)
    a, b = socket.socketpair()
    results = queue.Queue()
    stop = threading.Event()
    echoer = multiprocessing.Process(target=echo, args=(b, size), name="echo")
    io = threading.Thread(target=client, args=(a, size, seconds, rounds, results), name="io")
    cpus = []
    for i in range(ncpu):
        cpus.append(threading.Thread(target=spin, args=(stop,), name="cpu-%d" % i))
    echoer.start()
    b.close()           # the echo process has its own copy
    for t in cpus:
        t.start()
    io.start()
    trips, bad, elapsed, p50, p99 = results.get()
    io.join()
    stop.set()
    for t in cpus:
        t.join()
    echoer.join()
    print("convoy: io thread and echo thread beside %d CPU thread%s" % (ncpu, "" if ncpu == 1 else "s"))
    print("convoy: every echo matched: %s" % (bad == 0 and trips > 0))
    print("convoy: %d round trips in %.3f s: %.0f per second, %.1f us each"
          % (trips, elapsed, trips / max(elapsed, 1e-9), elapsed * 1e6 / max(trips, 1)), file=sys.stderr)
    # the line `gilscope bench` reads (data/BENCH.md)
    print("bench: ops_per_s=%.0f latency_mean_us=%.1f latency_p50_us=%.1f latency_p99_us=%.1f"
          % (trips / max(elapsed, 1e-9), elapsed * 1e6 / max(trips, 1), p50 * 1e6, p99 * 1e6), file=sys.stderr)


if __name__ == "__main__":
    main()
