#!/usr/bin/env python3
"""run_fuzz.py -- runs gilscope's libFuzzer targets (tests/fuzz/fuzz_*.c).

  run_fuzz.py --bindir build/fuzz --seconds 60        `make fuzz`: each target
                                                      for N seconds
  run_fuzz.py --bindir build/fuzz --suite --seconds 7 `make test`'s fuzz suite

Every run first builds the seed corpora in BINDIR/seeds/TARGET/ from the
tree: the workload programs (tests/programs, tests/modes, data/workloads,
bench/programs, interp/lib) for `compile`; small traces recorded with
`gilscope run -o` and `gilscope synth` for `trace`; the replay scripts of
tests/fuzz/seeds/replay and those the viewer tests write, for `replay`;
data/experiments/*.ini for `preset`.  What the fuzzer finds beyond them is
kept in BINDIR/corpus/TARGET/ (not committed), so runs build on each other.
Executions are added up per target in BINDIR/corpus/TARGET.execs.  A
tests/fuzz/fuzz_TARGET.dict (keywords, keys, operators) is passed as -dict.

A crash, a timeout (an input taking over --timeout seconds), a leak or an
out-of-memory is written to BINDIR/artifacts/TARGET/ and fails the run.  To
keep one as a regression: copy it to tests/fuzz-regressions/TARGET/NAME.

--suite also replays every file of tests/fuzz-regressions/TARGET/ through
its target (each one a test) and closes with "N passed, N failed".
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGRESSIONS = os.path.join(ROOT, "tests", "fuzz-regressions")

# -max_len per target: workloads and presets are text files of a few KB;
# replay scripts are short; a trace needs room for a few chunks.
MAX_LEN = {"compile": 16384, "trace": 65536, "replay": 4096, "preset": 8192}
# Per-input time limit (s): far above any real input's time.
TIMEOUT = {"compile": 10, "trace": 10, "replay": 5, "preset": 5}


def targets(bindir):
    names = sorted(os.path.basename(p)[len("fuzz_"):-2]
                   for p in glob.glob(os.path.join(ROOT, "tests", "fuzz", "fuzz_*.c")))
    return [(n, os.path.join(bindir, "fuzz_" + n)) for n in names]


def copy_seeds(dst, patterns, max_len):
    n = 0
    for pat in patterns:
        for f in sorted(glob.glob(os.path.join(ROOT, pat))):
            if os.path.isfile(f) and os.path.getsize(f) <= max_len:
                rel = os.path.relpath(f, ROOT).replace(os.sep, "_")
                shutil.copyfile(f, os.path.join(dst, rel))
                n += 1
    return n


def trace_seeds(dst, gilscope):
    """Small traces of every shape: threads/processes/sequential, every
    policy, synthetic multi-process ones, and a cut one."""
    if not gilscope or not os.access(gilscope, os.X_OK):
        print("run_fuzz: no gilscope binary: no recorded trace seeds", flush=True)
        return 0
    tmp = tempfile.mkdtemp(prefix="gilscope-fuzz.")
    made = []
    try:
        countdown = os.path.join(ROOT, "data", "workloads", "countdown.py")
        sleepers = os.path.join(ROOT, "data", "workloads", "sleepers.py")
        runs = [
            ("cd-threads-newgil", ["--gil", "newgil"], countdown, ["3000", "2"]),
            ("cd-threads-legacy", ["--gil", "legacy", "--check-interval", "10"], countdown, ["2000", "3"]),
            ("cd-processes", ["--mode", "processes"], countdown, ["1000", "2"]),
            ("cd-sequential-fifo", ["--mode", "sequential", "--gil", "fifo"], countdown, ["1000", "2"]),
            ("cd-priority", ["--gil", "priority", "--switch-interval", "0.1"], countdown, ["3000", "2"]),
        ]
        if os.path.exists(sleepers):
            runs.append(("sleepers", [], sleepers, ["--help"]))
        for name, opts, prog, args in runs:
            out = os.path.join(tmp, name + ".gilt")
            subprocess.run([gilscope, "run", "-q", "-o", out] + opts + [prog] + args,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            made.append(out)
        synth = [("synth-1", ["--events", "60", "--threads", "2"]),
                 ("synth-2p", ["--events", "200", "--threads", "3", "--processes", "2", "--policy", "legacy"]),
                 ("synth-fifo", ["--events", "120", "--threads", "4", "--policy", "fifo", "--seed", "7"])]
        for name, opts in synth:
            out = os.path.join(tmp, name + ".gilt")
            subprocess.run([gilscope, "synth"] + opts + ["-o", out],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            made.append(out)
        n = 0
        for f in made:
            if not os.path.exists(f):
                continue
            data = open(f, "rb").read()
            if not data or len(data) > MAX_LEN["trace"]:
                continue
            name = os.path.basename(f)
            open(os.path.join(dst, name), "wb").write(data)
            # two runs in one file, and one cut inside its last chunk
            open(os.path.join(dst, "twice-" + name), "wb").write(data + data)
            open(os.path.join(dst, "cut-" + name), "wb").write(data[:len(data) * 2 // 3])
            n += 3
        return n
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def replay_seeds(dst):
    n = copy_seeds(dst, ["tests/fuzz/seeds/replay/*"], MAX_LEN["replay"])
    # the scripts the viewer tests replay: r.view([...], "SCRIPT" ...) literals
    src = os.path.join(ROOT, "tests", "run_viewer_tests.py")
    if os.path.exists(src):
        text = open(src, encoding="utf-8").read()
        for i, m in enumerate(re.finditer(r'\.view\(\[[^\]]*\],\s*"((?:[^"\\]|\\.)*)"', text)):
            try:
                body = bytes(m.group(1), "utf-8").decode("unicode_escape")
            except UnicodeDecodeError:
                continue
            with open(os.path.join(dst, "viewer-test-%d.txt" % i), "w") as f:
                f.write(body)
            n += 1
    return n


def build_seeds(bindir, name, gilscope):
    dst = os.path.join(bindir, "seeds", name)
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    ml = MAX_LEN[name]
    if name == "compile":
        n = copy_seeds(dst, ["tests/programs/*.py", "tests/programs/*/*.py", "tests/modes/*.py",
                             "data/workloads/*.py", "bench/programs/*.py", "interp/lib/*.py"], ml)
    elif name == "trace":
        n = trace_seeds(dst, gilscope)
    elif name == "replay":
        n = replay_seeds(dst)
    elif name == "preset":
        n = copy_seeds(dst, ["data/experiments/*.ini"], ml)
    else:
        n = 0
    # the regression inputs are seeds too: their neighbourhood is worth a look
    n += copy_seeds(dst, ["tests/fuzz-regressions/%s/*" % name], 1 << 20)
    return dst, n


def add_execs(bindir, name, n):
    path = os.path.join(bindir, "corpus", name + ".execs")
    total = 0
    try:
        total = int(open(path).read().strip() or 0)
    except (OSError, ValueError):
        pass
    total += n
    with open(path, "w") as f:
        f.write("%d\n" % total)
    return total


def fuzz(name, binary, bindir, seconds, gilscope, quiet):
    """One timed run.  Returns (ok, executions, message)."""
    seeds, nseeds = build_seeds(bindir, name, gilscope)
    corpus = os.path.join(bindir, "corpus", name)
    artifacts = os.path.join(bindir, "artifacts", name) + os.sep
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    before = set(os.listdir(artifacts))
    cmd = [binary, corpus, seeds, "-max_total_time=%d" % seconds, "-max_len=%d" % MAX_LEN[name],
           "-timeout=%d" % TIMEOUT[name], "-rss_limit_mb=2048", "-print_final_stats=1",
           "-artifact_prefix=" + artifacts]
    dict_file = os.path.join(ROOT, "tests", "fuzz", "fuzz_%s.dict" % name)
    if os.path.exists(dict_file):
        cmd.append("-dict=" + dict_file)
    log = os.path.join(bindir, "fuzz_%s.log" % name)
    with open(log, "wb") as f:
        p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=seconds * 3 + 300)
    text = open(log, "rb").read().decode("utf-8", "replace")
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", text)
    execs = int(m.group(1)) if m else 0
    if not m:
        m = re.search(r"Done (\d+) runs", text)
        execs = int(m.group(1)) if m else 0
    total = add_execs(bindir, name, execs)
    found = sorted(set(os.listdir(artifacts)) - before)
    ok = p.returncode == 0 and not found
    msg = "fuzz_%s: %d executions in %d s (%d seeds, corpus %d; %d in all runs so far)" % (
        name, execs, seconds, nseeds, len(os.listdir(corpus)), total)
    if not ok:
        lines = [l for l in text.splitlines() if "ERROR" in l or "SUMMARY" in l or "==ERROR" in l]
        msg += "\n    exit %d; %s\n    log: %s" % (p.returncode, "; ".join(lines[:3]) or "see the log", log)
        for a in found:
            msg += "\n    input: %s%s" % (artifacts, a)
    return ok, execs, msg


def replay(name, binary):
    """Each regression input of the target, once.  Returns [(file, ok, why)]."""
    res = []
    for f in sorted(glob.glob(os.path.join(REGRESSIONS, name, "*"))):
        if not os.path.isfile(f):
            continue
        try:
            p = subprocess.run([binary, "-timeout=%d" % TIMEOUT[name], "-rss_limit_mb=2048", f],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
            out = p.stdout.decode("utf-8", "replace")
            why = "; ".join(l for l in out.splitlines() if "ERROR" in l or "SUMMARY" in l)[:300]
            res.append((f, p.returncode == 0, why or "exit %d" % p.returncode))
        except subprocess.TimeoutExpired:
            res.append((f, False, "no result in 120 s"))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bindir", default=os.path.join(ROOT, "build", "fuzz"))
    ap.add_argument("--gilscope", default=os.path.join(ROOT, "gilscope"))
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--suite", action="store_true", help="brief runs plus the regression inputs; N passed, N failed")
    ap.add_argument("--only", action="append", default=[], help="just this target (compile, trace, ...)")
    a = ap.parse_args()
    bindir = os.path.abspath(a.bindir)
    gilscope = os.path.abspath(a.gilscope) if a.gilscope else None
    passed = failed = 0
    total = 0
    for name, binary in targets(bindir):
        if a.only and name not in a.only:
            continue
        if not os.access(binary, os.X_OK):
            print("FAIL fuzz_%s: not built (%s)" % (name, binary), flush=True)
            failed += 1
            continue
        if a.suite:
            for f, ok, why in replay(name, binary):
                rel = os.path.relpath(f, ROOT)
                if ok:
                    passed += 1
                else:
                    failed += 1
                    print("FAIL regression %s: %s" % (rel, why), flush=True)
        ok, execs, msg = fuzz(name, binary, bindir, a.seconds, gilscope, a.suite)
        total += execs
        print(("" if ok else "FAIL ") + msg, flush=True)
        if ok:
            passed += 1
        else:
            failed += 1
    if a.suite:
        print("%d passed, %d failed" % (passed, failed))
    else:
        print("fuzz: %d executions in all; %s" % (total, "no crash" if not failed else "%d target(s) FAILED" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
