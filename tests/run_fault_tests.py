#!/usr/bin/env python3
"""run_fault_tests.py -- faults from outside: signals, limits, a full disk.

  - a worker process killed with SIGKILL in --mode processes: reported on
    stderr with its signal and marked in the trace, while the other workers
    finish and keep their events;
  - Ctrl-C (SIGINT) during a --mode processes run: exit 130, the trace marked
    interrupted, no worker left behind;
  - a file-size limit (RLIMIT_FSIZE, `ulimit -f`): exit 74 with one line
    naming the trace and the error, and a partial trace that still opens;
  - a full disk (a 256 KiB tmpfs, when this machine lets us mount one): the
    same;
  - deliberately tiny tracer buffers (--trace-buffers): the loss is counted in
    the trace, said by `stats` and the chart, and never deadlocks.

  tests/run_fault_tests.py [--gilscope BIN]

Closes with one line "N passed, N failed".
"""

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suitelib import Failure, Tally, stats_json, stats_text  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTDOWN = os.path.join(ROOT, "data", "workloads", "countdown.py")
TIMEOUT = 120


def children(pid):
    out = []
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def wait_children(pid, n, limit=30):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        c = children(pid)
        if len(c) >= n:
            return c
        time.sleep(0.02)
    raise Failure("only %d of %d worker processes appeared" % (len(children(pid)), n))


def one_error_line(err, *needles):
    lines = [l for l in err.splitlines() if l.strip() and not l.startswith("gilscope:   ")]
    hits = [l for l in lines if all(n in l for n in needles)]
    if not hits:
        raise Failure("no stderr line with %r: %r" % (needles, err[-500:]))


def t_sigkill_worker(g, scratch):
    trace = os.path.join(scratch, "killed.gilt")
    count = 240_000_000
    p = subprocess.Popen([g, "run", "--mode", "processes", "-o", trace, COUNTDOWN, str(count), "3"],
                         cwd=scratch, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        kids = wait_children(p.pid, 3)
        time.sleep(0.3)
        victim = kids[0]
        os.kill(victim, signal.SIGKILL)
        out, err = p.communicate(timeout=TIMEOUT)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    err = err.decode("utf-8", "replace")
    one_error_line(err, "(pid %d)" % victim, "killed by signal SIGKILL")
    st = stats_json(g, trace)
    run = st["runs"][0]
    marks = [m["text"] for m in run["marks"]]
    if not any("pid %d" % victim in m and "SIGKILL" in m for m in marks):
        raise Failure("no mark for the killed worker in the trace: %r" % marks)
    survivors = [t for t in st["threads"] if t["pid"] not in (victim, run["pid"])]
    if len(survivors) != 2:
        raise Failure("%d surviving worker lanes, expected 2" % len(survivors))
    for t in survivors:
        if not t["ended"] or t["run_ns"] <= 0:
            raise Failure("worker %s (pid %d) lost its events" % (t["name"], t["pid"]))
    if "mark at" not in stats_text(g, trace):
        raise Failure("stats does not print the mark")
    return "pid %d killed; 2 workers finished with their events" % victim


def t_ctrl_c_processes(g, scratch):
    trace = os.path.join(scratch, "interrupted.gilt")
    p = subprocess.Popen([g, "run", "--mode", "processes", "-o", trace, COUNTDOWN, "2000000000", "2"],
                         cwd=scratch, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        kids = wait_children(p.pid, 2)
        time.sleep(0.3)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=TIMEOUT)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    if p.returncode != 130:
        raise Failure("exit %d after SIGINT, expected 130: %s" % (p.returncode, err.decode()[-300:]))
    time.sleep(0.2)
    alive = [k for k in kids if os.path.exists("/proc/%d" % k) and
             open("/proc/%d/stat" % k).read().split()[2] != "Z"]
    if alive:
        for k in alive:
            os.kill(k, signal.SIGKILL)
        raise Failure("worker(s) %r still running after the parent exited" % alive)
    run = stats_json(g, trace)["runs"][0]
    if not run["interrupted"]:
        raise Failure("the trace is not marked interrupted")
    return "exit 130, trace interrupted, workers gone"


def write_limited(g, scratch, trace, preexec):
    p = subprocess.run([g, "run", "--gil", "legacy", "-o", trace, COUNTDOWN, "40000000", "4"],
                       cwd=scratch, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT,
                       preexec_fn=preexec)
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 74:
        raise Failure("exit %d, expected 74: %s" % (p.returncode, err[-300:]))
    return err


def t_file_size_limit(g, scratch):
    trace = os.path.join(scratch, "limited.gilt")
    limit = 64 * 1024

    def lim():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    err = write_limited(g, scratch, trace, lim)
    one_error_line(err, trace, "File too large")
    size = os.path.getsize(trace)
    run = stats_json(g, trace)["runs"][0]
    if run["events"] <= 0:
        raise Failure("the partial trace holds no events")
    return "%d bytes kept, %d events readable" % (size, run["events"])


def t_full_disk(g, scratch):
    mnt = os.path.join(scratch, "tiny")
    os.mkdir(mnt)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if m.returncode != 0:
        return None     # no mount here (not root, a container): skipped
    try:
        trace = os.path.join(mnt, "full.gilt")
        err = write_limited(g, scratch, trace, None)
        one_error_line(err, trace, "No space left on device")
        run = stats_json(g, trace)["runs"][0]
        if run["events"] <= 0:
            raise Failure("the partial trace holds no events")
        return "%d events readable from a full 256 KiB disk" % run["events"]
    finally:
        subprocess.run(["umount", mnt])


def t_tiny_buffers(g, scratch):
    notes = []
    for n in (1, 2, 4):
        trace = os.path.join(scratch, "tiny%d.gilt" % n)
        p = subprocess.run([g, "run", "--trace-buffers", str(n), "--gil", "legacy", "-o", trace,
                            COUNTDOWN, "4000000", "4"], cwd=scratch, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode != 0:
            raise Failure("--trace-buffers %d: exit %d: %s" % (n, p.returncode, err[-300:]))
        if "LOST" not in err:
            raise Failure("--trace-buffers %d: the summary does not say events were lost" % n)
        st = stats_json(g, trace)
        lost = st["runs"][0]["lost"]
        if lost <= 0:
            raise Failure("--trace-buffers %d: no loss counted in the trace" % n)
        if "events lost" not in stats_text(g, trace):
            raise Failure("--trace-buffers %d: stats does not report the loss" % n)
        if st["runs"][0]["overlap_violations"]:
            raise Failure("--trace-buffers %d: overlapping holders" % n)
        svg = os.path.join(scratch, "tiny%d.svg" % n)
        e = subprocess.run([g, "export", trace, "-o", svg], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
        if e.returncode != 0:
            raise Failure("--trace-buffers %d: export failed: %s" % (n, e.stderr.decode()[-300:]))
        with open(svg, encoding="utf-8") as f:
            if "events lost" not in f.read():
                raise Failure("--trace-buffers %d: the chart does not say events were lost" % n)
        notes.append("%d: %d lost" % (n, lost))
    return ", ".join(notes)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gilscope", default="./gilscope")
    a = ap.parse_args()
    g = os.path.abspath(a.gilscope)
    scratch = tempfile.mkdtemp(prefix="gilscope-faults-")
    tally = Tally("faults")
    tests = [("a worker process killed with SIGKILL", t_sigkill_worker),
             ("Ctrl-C during a processes run", t_ctrl_c_processes),
             ("a file-size limit", t_file_size_limit),
             ("a full disk (a tmpfs; skipped where none can be mounted)", t_full_disk),
             ("tiny tracer buffers", t_tiny_buffers)]
    try:
        for label, fn in tests:
            tally.run(label, fn, g, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    tally.close()


if __name__ == "__main__":
    main()
