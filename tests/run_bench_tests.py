#!/usr/bin/env python3
"""tests/run_bench_tests.py -- `gilscope bench` on tiny workloads: the table,
JSON with the documented keys, CSV with its header, PNG/SVG charts, kept
traces, CPython rows, per-configuration failures, usage errors, and preset
files with mistakes (FILE:LINE: message).  Closes with 'N passed, N failed'.

  tests/run_bench_tests.py [--gilscope BIN]
"""

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTDOWN = os.path.join(ROOT, "data", "workloads", "countdown.py")

# data/BENCH.md, "JSON and CSV columns"
KEYS = ["experiment", "label", "runner", "interpreter", "workload", "args", "mode", "gil", "threads", "cpus",
        "switch_interval_ms", "runs", "ok_runs", "error", "wall_s", "wall_min_s", "wall_max_s", "cpu_s", "speedup",
        "speedup_min", "speedup_max", "gil_wait_share", "switches_per_s", "failed_wakeups_per_s", "badness",
        "handoff_p50_us", "handoff_p99_us", "ops_per_s", "latency_mean_us", "latency_p50_us", "latency_p99_us"]

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (name, (": " + detail) if detail else ""), flush=True)


def bench(gs, *args, timeout=120):
    p = subprocess.run([gs, "bench"] + list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


TINY = ["--repeat", "1", "--modes", "sequential,threads", "--threads", "2"]


def test_table(gs):
    rc, out, err = bench(gs, COUNTDOWN, *TINY, "--", "200000")
    check("table: exit 0", rc == 0, err[-300:])
    lines = out.splitlines()
    check("table: header", lines and lines[0].startswith("configuration") and "speedup" in lines[0], out[:300])
    check("table: two rows", len(lines) == 4 and "countdown sequential newgil" in out and
          "countdown threads newgil" in out, out)
    check("table: sequential speedup is 1.00x", "1.00x" in out, out)
    check("table: no progress line when stderr is not a terminal", "\r" not in err and "ETA" not in err, err)


def test_json(gs):
    rc, out, err = bench(gs, COUNTDOWN, *TINY, "--json", "--", "200000")
    check("json: exit 0", rc == 0, err[-300:])
    try:
        doc = json.loads(out)
    except ValueError as e:
        check("json: parses", False, str(e) + ": " + out[:300])
        return
    check("json: format", doc.get("format") == "gilscope-bench" and doc.get("version") == 1, str(doc)[:200])
    rows = doc.get("rows", [])
    check("json: two rows", len(rows) == 2, str(rows)[:300])
    for r in rows:
        check("json: documented keys in order", list(r.keys()) == KEYS, str(list(r.keys())))
    by_mode = {r["mode"]: r for r in rows}
    seq, thr = by_mode.get("sequential"), by_mode.get("threads")
    if seq and thr:
        check("json: speedup of sequential is 1", abs(seq["speedup"] - 1.0) < 1e-9, str(seq))
        check("json: wall and cpu measured", seq["wall_s"] > 0 and seq["cpu_s"] is not None and seq["ok_runs"] == 1)
        check("json: GIL stats from the trace", thr["gil_wait_share"] is not None and thr["switches_per_s"] is not None,
              str(thr))
        check("json: threads and gil", thr["threads"] == 2 and thr["gil"] == "newgil" and thr["runner"] == "gilscope")
        check("json: no ops for countdown", thr["ops_per_s"] is None)


def test_csv(gs):
    rc, out, err = bench(gs, COUNTDOWN, *TINY, "--csv", "--", "200000")
    check("csv: exit 0", rc == 0, err[-300:])
    rows = list(csv.reader(io.StringIO(out)))
    check("csv: header", rows and rows[0] == KEYS, str(rows[:1]))
    check("csv: one row per configuration", len(rows) == 3 and all(len(r) == len(KEYS) for r in rows), str(rows))


def test_chart(gs, tmp):
    png = os.path.join(tmp, "chart.png")
    svg = os.path.join(tmp, "chart.svg")
    rc, out, err = bench(gs, COUNTDOWN, *TINY, "--chart", png, "--", "200000")
    check("chart png: exit 0", rc == 0, err[-300:])
    data = open(png, "rb").read() if os.path.exists(png) else b""
    check("chart png: signature", data[:8] == b"\x89PNG\r\n\x1a\n", repr(data[:8]))
    check("chart png: size", len(data) > 2000, "%d bytes" % len(data))
    if len(data) > 24:
        w = int.from_bytes(data[16:20], "big")
        h = int.from_bytes(data[20:24], "big")
        check("chart png: dimensions", w >= 800 and h >= 200, "%dx%d" % (w, h))
    rc, out, err = bench(gs, COUNTDOWN, *TINY, "--chart", svg, "--", "200000")
    text = open(svg, encoding="utf-8", errors="replace").read() if os.path.exists(svg) else ""
    check("chart svg", rc == 0 and "<svg" in text, err[-300:])
    rc, out, err = bench(gs, COUNTDOWN, *TINY, "--chart", os.path.join(tmp, "chart.gif"), "--", "200000")
    check("chart: bad extension is a usage error", rc == 64 and err.count("\n") == 1, "%d %s" % (rc, err))


def test_keep_traces(gs, tmp):
    d = os.path.join(tmp, "traces")
    rc, out, err = bench(gs, COUNTDOWN, *TINY, "--keep-traces", d, "--", "200000")
    names = sorted(os.listdir(d)) if os.path.isdir(d) else []
    check("keep-traces: one trace per run", rc == 0 and len([n for n in names if n.endswith(".gilt")]) == 2,
          str(names) + err[-200:])
    check("keep-traces: nothing else left", all(n.endswith(".gilt") for n in names), str(names))


def test_python(gs):
    if not shutil.which("python3"):
        print("skip --python: no python3")
        return
    rc, out, err = bench(gs, COUNTDOWN, *TINY, "--python", "--json", "--", "200000")
    check("python: exit 0", rc == 0, err[-300:])
    try:
        rows = json.loads(out)["rows"]
    except (ValueError, KeyError) as e:
        check("python: json", False, str(e))
        return
    py = [r for r in rows if r["runner"] == "python"]
    check("python: a CPython row", len(py) == 1 and py[0]["interpreter"] == "python3" and py[0]["ok_runs"] == 1,
          str(py))
    rc, out, err = bench(gs, COUNTDOWN, *TINY, "--python=python3", "--", "200000")
    check("python=PATH: a row in the table", rc == 0 and "countdown python3 t=2" in out, out + err[-300:])


def test_failure(gs, tmp):
    bad = os.path.join(tmp, "boom.py")
    with open(bad, "w") as f:
        f.write("import sys\nprint('partial')\nraise ValueError('boom in the workload')\n")
    rc, out, err = bench(gs, bad, "--repeat", "1", "--modes", "threads,processes")
    check("failure: no crash, exit 0", rc == 0, "%d %s" % (rc, err[-300:]))
    check("failure: reported per configuration", "FAILED" in out and "boom in the workload" in out, out)


def test_usage(gs):
    for args, what in ((["--modes", "bogus"], "mode"), (["--repeat", "0"], "repeat"), (["--gil", "nogil"], "policy"),
                       (["--frobnicate"], "unknown option"), (["--json", "--csv"], "choose one"),
                       (["--threads"], "needs a value"), (["--experiment", "no-such-experiment"], "no experiment"),
                       (["/nonexistent/w.py"], None)):
        rc, out, err = bench(gs, *args)
        if what is None:
            check("usage: unreadable workload", rc == 74 and err.count("\n") == 1, "%d %s" % (rc, err))
            continue
        check("usage: %s exits 64 with one line" % " ".join(args), rc == 64 and err.count("\n") == 1 and what in err,
              "%d %r" % (rc, err))


BAD_PRESETS = [
    # (text, line, words in the message)
    ("[experiment]\nname = x\n[matrix]\nworkload = countdown.py\nmodes = threads, sideways\n", 5, "unknown mode"),
    ("[experiment]\nname = x\n[matrix]\nworkload = countdown.py\ngil = nogil\n", 5, "unknown GIL policy"),
    ("[experiment]\nname = x\n\n[matrix]\nthreads = 2\n", 4, "no workload"),
    ("name = x\n", 1, "before any [section]"),
    ("[experiment]\nname = x\n[matrix]\nworkload = c.py\n[shape]\ncheck = speed(mode=threads) > 1\n", 6,
     "unknown metric"),
    ("[experiment]\nname = x\n[matrix]\nworkload = c.py\n[shape]\ncheck = wall(mode=threads) about 1\n", 6,
     "expected a comparison"),
    ("[experiment]\nname = x\n[matrix]\nworkload = c.py\n[shape]\ncheck = wall(colour=red) > 1\n", 6,
     "unknown selector key"),
    ("[experiment]\nname = x\n[matrix]\nworkload = c.py\nthreads = 2, lots\n", 5, "thread count"),
    ("[experiment]\nname = x\n[matrix]\nworkload = c.py\ncpus = all, 0\n", 5, "CPU count"),
    ("[experiment]\nname = x\n[matrix]\nworkload = c.py\nswitch_interval = fast\n", 5, "switch interval"),
    ("[experiment]\nname = x\n[matrix\n", 3, "must end with ']'"),
    ("[experiment]\nname = x\n[matrices]\n", 3, "unknown section"),
    ("[experiment]\nname = x\nname = y\n[matrix]\nworkload = c.py\n", 3, "given twice"),
    ("[experiment]\nname = x\n[matrix]\nworkload = c.py\ncolour = red\n", 5, "unknown key"),
    ("[experiment]\nname = x\n[matrix]\nworkload = c.py\nthis line has no equals sign\n", 5, "KEY = VALUE"),
    ("[experiment]\ntitle = t\n[matrix]\nworkload = c.py\n", 4, "no name"),
    ("[experiment]\nname = x\n", 2, "no [matrix]"),
    ("", 1, "no [experiment]"),
    ("[experiment]\nname = x\n[matrix]\nworkload = c.py\n[shape]\ncheck = wall(mode=threads) in 3..1\n", 6, "range"),
    ("[experiment]\nname = a b\n", 2, "name"),
    ("[experiment]\nname = x\x00\n", 2, "NUL"),
]


def test_presets(gs, tmp):
    for i, (text, line, words) in enumerate(BAD_PRESETS):
        path = os.path.join(tmp, "bad%d.ini" % i)
        with open(path, "w") as f:
            f.write(text)
        rc, out, err = bench(gs, "--experiment", path)
        want = "%s:%d: " % (path, line)
        check("preset %d: exit 65" % i, rc == 65, "%d %r" % (rc, err))
        check("preset %d: names file and line" % i, err.startswith(want) and words in err and err.count("\n") == 1,
              "want %r ... %r, got %r" % (want, words, err))
    # a good preset with its own workload path, relative to the preset
    shutil.copy(COUNTDOWN, os.path.join(tmp, "cd.py"))
    good = os.path.join(tmp, "good.ini")
    with open(good, "w") as f:
        f.write("# a tiny experiment\n[experiment]\nname = tiny\ntitle = tiny countdown\nrepeat = 1\n"
                "[matrix]\nworkload = ./cd.py\nargs = 200000\nmodes = sequential, threads\nthreads = 2\n"
                "[shape]\ncheck = speedup(mode=sequential) in 0.99..1.01 | itself\n"
                "check = wall(mode=threads) / wall(mode=sequential) > 1000 | cannot hold\n"
                "check = wall(mode=processes) > 0 | not measured\n")
    rc, out, err = bench(gs, "--experiment", good)
    check("preset: runs", rc == 0 and "== experiment tiny" in out, out + err[-300:])
    check("preset: a check that holds", "holds measured 1" in out, out)
    check("preset: a check that does not", "NO    measured" in out, out)
    check("preset: an unmeasured check", "n/a" in out and "no configuration matches" in out, out)
    check("preset: the verdict", "1 of 3 checks hold" in out, out)
    rc, out, err = bench(gs, "--experiment", good, "--json")
    try:
        doc = json.loads(out)
        exps = doc["experiments"]
        check("preset json: checks", len(exps) == 1 and len(exps[0]["checks"]) == 3 and
              exps[0]["checks"][0]["holds"] is True and exps[0]["checks"][1]["holds"] is False, str(exps))
        check("preset json: experiment column", all(r["experiment"] == "tiny" for r in doc["rows"]))
    except (ValueError, KeyError) as e:
        check("preset json", False, str(e) + out[:300])


def test_shipped_presets(gs):
    rc, out, err = bench(gs, "--list-experiments")
    names = [l.split()[0] for l in out.splitlines() if l.strip()]
    check("presets: the six experiments parse",
          rc == 0 and sorted(names) == sorted(["countdown", "one-cpu", "battle", "convoy", "priority", "sleepers"]),
          out + err)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gilscope", default=os.path.join(ROOT, "gilscope"))
    a = ap.parse_args()
    gs = os.path.abspath(a.gilscope)
    tmp = tempfile.mkdtemp(prefix="gilscope-benchtest.")
    try:
        for t in (test_table, test_json, test_csv, test_python, test_usage, test_shipped_presets):
            t(gs)
        for t in (test_chart, test_keep_traces, test_failure, test_presets):
            t(gs, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
