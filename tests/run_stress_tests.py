#!/usr/bin/env python3
"""run_stress_tests.py -- many threads, many processes, a crowded queue.

  - 256 CPU-bound threads under every GIL policy;
  - 64 worker processes (--mode processes);
  - a queue.Queue shared by 32 producers and 32 consumers, every policy.

Each run must finish within a generous bound (a deadlock fails, never
hangs), print the right result, and leave a trace whose invariants hold:
no two holders of one GIL (overlap_violations == 0), acquisitions equal to
releases in every thread that lost nothing, one lane per thread, the run
closed; events lost to a writer that fell behind are counted, never silent.
--scale shrinks the sizes (ThreadSanitizer builds use 0.1); the figures
(threads, seconds, events) are printed for the record, never asserted.

  tests/run_stress_tests.py [--gilscope BIN] [--scale F]

Closes with one line "N passed, N failed".
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suitelib import Failure, Tally, stats_json as stats  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTDOWN = os.path.join(ROOT, "data", "workloads", "countdown.py")
QUEUE = os.path.join(ROOT, "tests", "stress", "queue_mpmc.py")
TIMEOUT = 240
POLICIES = ("newgil", "legacy", "priority", "fifo")
# Short intervals, so the threads really take turns (thousands of forced
# switches) within a run of a second.
FAST = {"newgil": ["--switch-interval", "0.05"], "legacy": ["--check-interval", "100"],
        "priority": ["--switch-interval", "0.05"], "fifo": ["--switch-interval", "0.05"]}


def invariants(st, lanes, processes=None):
    r = st["runs"][0]
    if r["overlap_violations"]:
        raise Failure("%d overlaps: two holders of one GIL" % r["overlap_violations"])
    if not r["complete"]:
        raise Failure("the run did not close its trace")
    if len(st["threads"]) != lanes:
        raise Failure("%d lanes, expected %d" % (len(st["threads"]), lanes))
    if processes is not None and r["processes"] != processes:
        raise Failure("%d processes, expected %d" % (r["processes"], processes))
    for t in st["threads"]:
        if t["lost"]:
            continue        # what was lost of this lane is unknown: nothing to balance
        rel = t["releases"]
        nrel = sum(rel.values()) if isinstance(rel, dict) else rel
        if t["acquisitions"] != nrel:
            raise Failure("%s: %d acquisitions, %d releases" % (t["name"], t["acquisitions"], nrel))
        if not t["ended"]:
            raise Failure("%s never ended" % t["name"])
    return r


def lost_note(r):
    # A writer that falls behind on a loaded machine loses events: they are
    # counted (and the invariants hold on what was kept), never silent.
    return ", %d lost (counted)" % r["lost"] if r["lost"] else ""


def run(gilscope, scratch, name, args, expect_out):
    trace = os.path.join(scratch, name + ".gilt")
    t0 = time.monotonic()
    try:
        p = subprocess.run([gilscope, "run", "-q", "-o", trace] + args, cwd=scratch,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise Failure("did not finish within %d s (deadlock?)" % TIMEOUT)
    secs = time.monotonic() - t0
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        raise Failure("exit %d: %s" % (p.returncode, err.strip()[-400:]))
    for mark in ("ERROR: AddressSanitizer", "WARNING: ThreadSanitizer", "runtime error:"):
        if mark in err:
            raise Failure("sanitizer: " + err[err.find(mark):][:300])
    out = p.stdout.decode()
    if expect_out not in out:
        raise Failure("stdout %r lacks %r" % (out[-200:], expect_out))
    return trace, secs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gilscope", default="./gilscope")
    ap.add_argument("--scale", type=float, default=1.0)
    a = ap.parse_args()
    gilscope = os.path.abspath(a.gilscope)
    sc = max(0.01, min(1.0, a.scale))
    nthreads = max(8, int(256 * sc))
    nprocs = max(4, int(64 * sc))
    nqueue = max(4, int(32 * sc))
    scratch = tempfile.mkdtemp(prefix="gilscope-stress-")
    tally = Tally("stress")
    case = tally.run

    try:
        count = nthreads * int(400000 * max(sc, 0.25))
        for pol in POLICIES:
            def threads(pol=pol):
                tr, secs = run(gilscope, scratch, "threads-" + pol,
                               ["--gil", pol] + FAST[pol] + [COUNTDOWN, str(count), str(nthreads)],
                               "countdown %d in %d threads" % (count, nthreads))
                r = invariants(stats(gilscope, tr), nthreads + 1)
                return "%.1f s, %d events, %d switches%s" % (secs, r["events"], r["switches"], lost_note(r))
            case("%d threads under %s" % (nthreads, pol), threads)

        def processes():
            tr, secs = run(gilscope, scratch, "processes",
                           ["--mode", "processes", COUNTDOWN, str(nprocs * 20000), str(nprocs)],
                           "countdown %d in %d threads" % (nprocs * 20000, nprocs))
            r = invariants(stats(gilscope, tr), nprocs + 1, processes=nprocs + 1)
            for proc in r["process_list"]:
                if not proc["closed"]:
                    raise Failure("process %d did not close its trace" % proc["pid"])
            return "%.1f s, %d processes, %d events" % (secs, r["processes"], r["events"])
        case("%d processes" % nprocs, processes)

        items = 200
        for pol in POLICIES:
            def crowd(pol=pol):
                tr, secs = run(gilscope, scratch, "queue-" + pol,
                               ["--gil", pol] + FAST[pol] + [QUEUE, str(nqueue), str(nqueue), str(items)],
                               "items %d unique %d all True" % (nqueue * items, nqueue * items))
                r = invariants(stats(gilscope, tr), 2 * nqueue + 1)
                return "%.1f s, %d events, %d switches%s" % (secs, r["events"], r["switches"], lost_note(r))
            case("queue shared by %d producers and %d consumers under %s" % (nqueue, nqueue, pol), crowd)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    tally.close()


if __name__ == "__main__":
    main()
