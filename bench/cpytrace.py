#!/usr/bin/env python3
"""cpytrace.py -- what `gilscope trace` (libgilscope-preload.so) costs a real CPython.

Two workloads, each run untraced (plain python3) and traced (`gilscope trace
-q`) in the same session, interleaved, best of N wall times measured inside
the program (time.perf_counter around the work, so start-up and conversion
are not counted), and best of N CPU times of the work (time.process_time),
which a machine shared with other work disturbs less: a run that waited for
a CPU is slow in wall time, not in CPU time.  The last column is the CPU
time the library adds per call of the os.read loop (one GIL release and
re-acquire):

  countdown  2 CPU-bound threads, 3 M decrements each (a switch every 5 ms)
  os.read    1 thread, 200 k os.read(fd, 1) on /dev/zero: a GIL release and
             re-acquire every call, the library's worst case (the best of 3
             loops in each process)

  bench/cpytrace.py [--gilscope BIN] [--python PY] [--repeat N]
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile

COUNTDOWN = """
import threading, time
def count(n):
    while n > 0:
        n -= 1
ts = [threading.Thread(target=count, args=(3000000,)) for _ in range(2)]
c0 = time.process_time()
t0 = time.perf_counter()
for t in ts: t.start()
for t in ts: t.join()
print(time.perf_counter() - t0, time.process_time() - c0)
"""

OSREAD = """
import os, time
fd = os.open("/dev/zero", os.O_RDONLY)
r = os.read
wall = cpu = 1e9
for _ in range(3):
    c0 = time.process_time()
    t0 = time.perf_counter()
    for _ in range(%d):
        r(fd, 1)
    wall = min(wall, time.perf_counter() - t0)
    cpu = min(cpu, time.process_time() - c0)
print(wall, cpu)
"""


OSREAD_CALLS = 200000


def run(cmd):
    # The environment's size moves the stack, and with it a loop like the
    # os.read one by up to 5 % either way (measured: 75-80 ms best CPU times
    # for sizes 0-3000 bytes): a dummy variable of random length gives every
    # run, traced or not, a random placement rather than the traced runs one
    # fixed shift (gilscope adds three variables).
    env = dict(os.environ, CPYTRACE_BENCH_PAD="x" * random.randrange(0, 4096, 8))
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300, env=env)
    if p.returncode != 0:
        raise SystemExit("%s failed: %s" % (" ".join(cmd), p.stderr.decode()[-300:]))
    wall, cpu = p.stdout.split()[-2:]
    return float(wall), float(cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gilscope", default="./gilscope")
    ap.add_argument("--python", default="/usr/bin/python3.11" if os.access("/usr/bin/python3.11", os.X_OK)
                    else sys.executable)
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args()
    gilscope = os.path.abspath(a.gilscope)
    with tempfile.TemporaryDirectory(prefix="gilscope-cpybench-") as d:
        out = os.path.join(d, "t.gilt")
        print("gilscope trace overhead on %s (best of %d, interleaved; wall and CPU time of the work only)" % (
            a.python, a.repeat))
        print("%-31s %9s %9s %7s   %9s %9s %7s %9s" % ("workload", "untraced", "traced", "ratio", "cpu untr",
                                                          "cpu trac", "ratio", "per call"))
        for name, text, calls in (("countdown, 2 threads x 3 M", COUNTDOWN, None),
                                  ("os.read /dev/zero, 200 k calls",
                                   OSREAD % OSREAD_CALLS, OSREAD_CALLS)):
            path = os.path.join(d, "w.py")
            with open(path, "w") as f:
                f.write(text)
            plain, traced = [], []
            for _ in range(a.repeat):
                plain.append(run([a.python, path]))
                traced.append(run([gilscope, "trace", "-q", "-o", out, "--", a.python, path]))
            b, t = min(w for w, _ in plain), min(w for w, _ in traced)
            cb, ct = min(c for _, c in plain), min(c for _, c in traced)
            per = "%+7.1f ns" % ((ct - cb) / calls * 1e9) if calls else ""
            print("%-31s %6.1f ms %6.1f ms %6.3fx   %6.1f ms %6.1f ms %6.3fx %9s" % (
                name, b * 1e3, t * 1e3, t / b, cb * 1e3, ct * 1e3, ct / cb, per))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
