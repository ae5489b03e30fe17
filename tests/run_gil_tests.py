#!/usr/bin/env python3
"""run_gil_tests.py -- the GIL policies and the tracer, checked through traces.

Runs reference workloads under each policy and mode with tracing on, reads
each trace back with `gilscope stats --json`, and checks invariants and
robust shapes -- never tight timings (the machine is shared and noisy):

  - never two holders of one GIL at once (overlap_violations == 0);
  - every acquire matched by a release, per thread; timestamps monotonic;
  - legacy, 2 CPU-bound threads on 2+ CPUs: failed wake-ups happen;
  - fifo, 2 CPU-bound threads: hand-offs alternate (nearly every acquisition
    is a switch);
  - newgil, 2 CPU-bound threads: the median hold is near the switch interval
    (between a fifth of it and five times it);
  - processes mode: one process per started thread, and no GIL waits;
  - sequential mode: no GIL waits either;
  - time.sleep and a lock wait show as blocked time of their kind;
  - a truncated trace still opens and reports the cut;
  - Ctrl-C during a run: exit 130 and a trace marked interrupted.

  tests/run_gil_tests.py [--gilscope BIN] [--scale F]

--scale shrinks the work (ThreadSanitizer builds use 0.1).  Every run is
under a timeout, so a deadlock fails instead of hanging.  Closes with one
line "N passed, N failed".
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = os.path.join(ROOT, "data", "workloads")
TIMEOUT = 120


class Ctx:
    def __init__(self, gilscope, scratch, scale):
        self.gilscope = gilscope
        self.scratch = scratch
        self.scale = scale
        self.n = 0

    def run(self, args, workload_args, name=None, timeout=TIMEOUT, expect_rc=0):
        """Runs `gilscope run ARGS WORKLOAD...` with a trace; returns the stats JSON."""
        self.n += 1
        trace = os.path.join(self.scratch, "%s-%d.gilt" % (name or "t", self.n))
        cmd = [self.gilscope, "run", "-q", "-o", trace] + args + workload_args
        p = subprocess.run(cmd, cwd=self.scratch, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        if p.returncode != expect_rc:
            raise AssertionError("%s exited %d (expected %d): %s" % (
                " ".join(cmd), p.returncode, expect_rc, p.stderr.decode("utf-8", "replace")[-400:]))
        return self.stats(trace), trace

    def stats(self, trace):
        p = subprocess.run([self.gilscope, "stats", "--json", trace], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
        if p.returncode != 0:
            raise AssertionError("gilscope stats %s exited %d: %s" % (
                trace, p.returncode, p.stderr.decode("utf-8", "replace")))
        return json.loads(p.stdout)

    def count(self, n):
        return str(max(1000, int(n * self.scale)))


def workload(name):
    return os.path.join(WORKLOADS, name)


def check_invariants(st):
    """What must hold in every trace."""
    assert st["overlap_violations"] == 0, "two holders of one GIL: %d" % st["overlap_violations"]
    assert st["lost"] == 0, "%d events lost" % st["lost"]
    for r in st["runs"]:
        assert r["nonmonotonic"] == 0, "timestamps go backwards %d times" % r["nonmonotonic"]
        assert r["complete"], "the trace is not marked complete"
    for t in st["threads"]:
        if t["ended"]:
            rel = sum(t["releases"].values())
            assert t["acquisitions"] == rel, "thread %s: %d acquisitions, %d releases" % (
                t["name"], t["acquisitions"], rel)


def workers(st):
    """The count-* threads of a countdown run."""
    return [t for t in st["threads"] if t["name"].startswith("count")]


def t_invariants_every_policy(c):
    for policy in ("newgil", "legacy", "priority", "fifo"):
        st, _ = c.run(["--gil", policy], [workload("countdown.py"), c.count(4_000_000), "3"], policy)
        check_invariants(st)
        assert st["runs"][0]["policy"] == policy
        assert len(workers(st)) == 3, "expected 3 count threads, got %s" % [t["name"] for t in st["threads"]]
        for t in workers(st):
            assert t["acquisitions"] >= 1 and t["run_ns"] > 0


def t_legacy_battle(c):
    st, _ = c.run(["--gil", "legacy"], [workload("countdown.py"), c.count(10_000_000), "2"], "legacy")
    check_invariants(st)
    if st["runs"][0]["affinity_count"] < 2:
        return "skipped: fewer than 2 CPUs"
    failed = sum(t["failed_wakeups"] for t in workers(st))
    assert failed > 0, "no failed wake-ups under legacy with 2 CPU-bound threads on 2 CPUs"


def t_fifo_alternates(c):
    st, _ = c.run(["--gil", "fifo", "--switch-interval", "1"], [workload("countdown.py"), c.count(20_000_000), "2"],
                  "fifo")
    check_invariants(st)
    w = workers(st)
    acq = sum(t["acquisitions"] for t in w)
    sw = sum(t["switches"] for t in w)
    assert acq >= 4, "too few acquisitions to judge (%d)" % acq
    assert sw >= 0.8 * (acq - 2), "fifo hand-offs do not alternate: %d switches in %d acquisitions" % (sw, acq)
    assert sum(t["failed_wakeups"] for t in w) == 0, "fifo never fails a wake-up"


def t_newgil_hold_near_interval(c):
    st, _ = c.run(["--gil", "newgil"], [workload("countdown.py"), c.count(40_000_000), "2"], "newgil")
    check_invariants(st)
    holds = [t["hold_p50_ns"] for t in workers(st) if t["hold_count"] >= 3]
    if not holds:
        return "skipped: too few holds at this scale"
    interval = st["runs"][0]["switch_interval_ns"]
    for h in holds:
        assert interval / 5 <= h <= interval * 5, "median hold %.2f ms, interval %.2f ms" % (h / 1e6, interval / 1e6)


def t_processes_mode(c):
    st, _ = c.run(["--mode", "processes"], [workload("countdown.py"), c.count(4_000_000), "2"], "proc")
    check_invariants(st)
    r = st["runs"][0]
    assert r["mode"] == "processes"
    assert r["processes"] == 3, "expected the parent and 2 children, got %d processes" % r["processes"]
    pids = set(t["pid"] for t in st["threads"])
    assert len(pids) == 3, "lanes of %d processes" % len(pids)
    for t in st["threads"]:
        assert t["wait_ns"] == 0, "%s (pid %d) waited %d ns for a GIL in processes mode" % (
            t["name"], t["pid"], t["wait_ns"])


def t_sequential_mode(c):
    st, _ = c.run(["--mode", "sequential"], [workload("countdown.py"), c.count(4_000_000), "2"], "seq")
    check_invariants(st)
    assert st["runs"][0]["mode"] == "sequential"
    for t in st["threads"]:
        assert t["wait_ns"] == 0, "a wait in sequential mode"


def t_blocked_kinds(c):
    prog = os.path.join(c.scratch, "blocked.py")
    with open(prog, "w") as f:
        f.write("import threading, time\n"
                "lock = threading.Lock()\n"
                "lock.acquire()\n"
                "def sleeper():\n"
                "    time.sleep(0.05)\n"
                "def waiter():\n"
                "    with lock:\n"
                "        pass\n"
                "a = threading.Thread(target=sleeper, name='sleeper')\n"
                "b = threading.Thread(target=waiter, name='waiter')\n"
                "a.start(); b.start()\n"
                "time.sleep(0.05)\n"
                "lock.release()\n"
                "a.join(); b.join()\n"
                "print('ok')\n")
    st, _ = c.run([], [prog], "blocked")
    check_invariants(st)
    by = {t["name"]: t for t in st["threads"]}
    assert by["sleeper"]["blocked_by_kind_ns"].get("sleep", 0) >= 30_000_000, by["sleeper"]["blocked_by_kind_ns"]
    assert by["waiter"]["blocked_by_kind_ns"].get("lock", 0) > 0, by["waiter"]["blocked_by_kind_ns"]
    assert by["MainThread"]["blocked_by_kind_ns"].get("join", 0) + \
        by["MainThread"]["blocked_by_kind_ns"].get("lock", 0) > 0, by["MainThread"]["blocked_by_kind_ns"]


def t_truncated_trace(c):
    _, trace = c.run([], [workload("countdown.py"), c.count(2_000_000), "2"], "cut")
    size = os.path.getsize(trace)
    cut = os.path.join(c.scratch, "cut.gilt")
    with open(trace, "rb") as f:
        data = f.read()
    # a cut inside a chunk is reported as truncated; one that falls exactly
    # between chunks leaves a shorter, valid file without its closing chunk
    seen_cut = False
    for end in (size * 2 // 3, size * 2 // 3 - 5, size // 2 + 3, size - 9):
        with open(cut, "wb") as f:
            f.write(data[:end])
        st = c.stats(cut)
        assert st["overlap_violations"] == 0
        if st["truncated"]:
            seen_cut = True
            p = subprocess.run([c.gilscope, "stats", cut], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=TIMEOUT)
            assert b"trunc" in p.stdout, p.stdout[-300:]
        else:
            assert not st["runs"][0]["complete"], "a trace cut at byte %d of %d reads as complete" % (end, size)
    assert seen_cut, "no cut point was reported as truncated"



def t_ctrl_c(c):
    trace = os.path.join(c.scratch, "intr.gilt")
    p = subprocess.Popen([c.gilscope, "run", "-q", "-o", trace, workload("countdown.py"), "2000000000", "2"],
                         cwd=c.scratch, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    try:
        p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        raise AssertionError("gilscope did not stop within 30 s of SIGINT")
    assert p.returncode == 130, "exit %d after SIGINT, expected 130" % p.returncode
    st = c.stats(trace)
    assert st["overlap_violations"] == 0
    assert st["runs"][0]["interrupted"], "the trace is not marked interrupted"


TESTS = [
    ("invariants under every policy", t_invariants_every_policy),
    ("legacy: failed wake-ups on 2 CPUs", t_legacy_battle),
    ("fifo: hand-offs alternate", t_fifo_alternates),
    ("newgil: median hold near the interval", t_newgil_hold_near_interval),
    ("processes mode: a process per thread, no waits", t_processes_mode),
    ("sequential mode: no waits", t_sequential_mode),
    ("blocked time by kind", t_blocked_kinds),
    ("a truncated trace opens and reports the cut", t_truncated_trace),
    ("Ctrl-C: exit 130, trace marked interrupted", t_ctrl_c),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gilscope", default=os.environ.get("GILSCOPE") or os.path.join(ROOT, "gilscope"))
    ap.add_argument("--scale", type=float, default=float(os.environ.get("GIL_TEST_SCALE", "1")))
    ap.add_argument("-k", help="run only tests whose name contains this")
    a = ap.parse_args()
    gilscope = os.path.abspath(a.gilscope)
    scratch = tempfile.mkdtemp(prefix="gilscope-gil.")
    c = Ctx(gilscope, scratch, a.scale)
    passed = failed = 0
    try:
        for name, fn in TESTS:
            if a.k and a.k not in name:
                continue
            t0 = time.time()
            try:
                note = fn(c)
                passed += 1
                print("ok   gil: %s (%.1f s)%s" % (name, time.time() - t0, " -- " + note if note else ""), flush=True)
            except (AssertionError, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError, TypeError) as e:
                failed += 1
                print("FAIL gil: %s: %s" % (name, e), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
