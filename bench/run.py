#!/usr/bin/env python3
"""bench/run.py -- gilscope's interpreter against python3 and lua5.4.

Runs each workload of bench/programs/ (NAME.py, and NAME.lua where it exists)
under `gilscope run`, python3 and lua5.4, checks first that gilscope prints
what python3 prints (and lua the same), then takes the best wall time of
--repeat interleaved runs of each whole process, and prints a table with the ratios.

  bench/run.py [--gilscope BIN] [--repeat N] [WORKLOAD ...]

`make bench` runs it on the default build.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "bench", "programs")
ORDER = ["countdown", "fib", "listdict", "strbuild"]
# Loop iterations of a workload, for a time per iteration.
ITERATIONS = {"countdown": 10_000_000}
TIMEOUT = 300


def run_once(cmd, cwd):
    """(seconds, stdout, exit status) of one run of cmd."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=TIMEOUT)
    return time.perf_counter() - t0, p.stdout, p.returncode, p.stderr


def fmt_s(t):
    return "%.3f" % t if t is not None else "-"


def fmt_ratio(a, b):
    return "%.2f" % (a / b) if a is not None and b else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workloads", nargs="*", help="names in bench/programs (default: all)")
    ap.add_argument("--gilscope", default=os.environ.get("GILSCOPE") or os.path.join(ROOT, "gilscope"))
    ap.add_argument("--python", default="python3")
    ap.add_argument("--lua", default="lua5.4")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()

    gilscope = os.path.abspath(a.gilscope)
    if not os.access(gilscope, os.X_OK):
        print("bench: no gilscope binary at %s (run make first)" % gilscope, file=sys.stderr)
        return 1
    lua = shutil.which(a.lua)
    if not lua:
        print("bench: %s not found: the lua column stays empty" % a.lua, file=sys.stderr)

    names = a.workloads or [n for n in ORDER if os.path.exists(os.path.join(PROGRAMS, n + ".py"))]
    scratch = tempfile.mkdtemp(prefix="gilscope-bench.")
    gs_cmd = [gilscope, "run"]
    try:
        h = subprocess.run([gilscope, "run", "--help"], cwd=scratch, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10)
        if b"--no-trace" in h.stdout:
            gs_cmd.append("--no-trace")
    except (OSError, subprocess.SubprocessError):
        pass

    print("wall time of the whole process, best of %d; %s, %s, %s" %
          (a.repeat, os.path.relpath(gilscope), a.python, a.lua))
    rows = []
    warnings = []
    try:
        for name in names:
            py_file = os.path.join(PROGRAMS, name + ".py")
            lua_file = os.path.join(PROGRAMS, name + ".lua")
            cmds = {"gilscope": gs_cmd + [py_file], "python3": [a.python, py_file]}
            if lua and os.path.exists(lua_file):
                cmds["lua"] = [lua, lua_file]
            # Check the outputs first (and warm the caches).
            outs = {}
            for k, cmd in cmds.items():
                _, out, rc, err = run_once(cmd, scratch)
                outs[k] = (out, rc, err)
            ok = {k: outs[k][1] == 0 for k in cmds}
            if not ok["gilscope"]:
                last = outs["gilscope"][2].decode("utf-8", "replace").strip().splitlines()[-1:]
                warnings.append("warning: %s: gilscope exits %d: %s" % (name, outs["gilscope"][1], " ".join(last)))
            elif outs["gilscope"][0] != outs["python3"][0]:
                warnings.append("warning: %s: gilscope prints %r, python3 prints %r" %
                                (name, outs["gilscope"][0][:60], outs["python3"][0][:60]))
            if "lua" in cmds and outs["lua"][0] != outs["python3"][0]:
                warnings.append("warning: %s: lua prints %r, python3 prints %r" %
                                (name, outs["lua"][0][:60], outs["python3"][0][:60]))
            # Interleaved (gilscope, python3, lua, gilscope, ...) so that a
            # slow spell of a shared machine hits every column alike.
            times = {k: None for k in cmds}
            for _ in range(a.repeat):
                for k, cmd in cmds.items():
                    if not ok[k]:
                        continue
                    t, _, rc, _ = run_once(cmd, scratch)
                    if rc == 0 and (times[k] is None or t < times[k]):
                        times[k] = t
            rows.append((name, times.get("gilscope"), times.get("python3"), times.get("lua")))
            for w in warnings:
                print(w, flush=True)
            warnings = []
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    head = ("workload", "gilscope s", "python3 s", "lua s", "gilscope/python3", "gilscope/lua")
    table = [head] + [(n, fmt_s(g), fmt_s(p), fmt_s(l), fmt_ratio(g, p), fmt_ratio(g, l))
                      for n, g, p, l in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for i, r in enumerate(table):
        print("  ".join(c.ljust(widths[j]) if j == 0 else c.rjust(widths[j]) for j, c in enumerate(r)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    for n, g, p, l in rows:
        if n in ITERATIONS:
            k = ITERATIONS[n]
            per = lambda t: "%.1f" % (t * 1e9 / k) if t is not None else "-"
            print("%s: ns per iteration: gilscope %s, python3 %s, lua %s" % (n, per(g), per(p), per(l)))
    met = [n for n, g, p, _ in rows if g is not None and p and g / p <= 0.5]
    print("target gilscope/python3 <= 0.5: met by %d of %d (%s)" %
          (len(met), len(rows), ", ".join(met) if met else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
