#!/usr/bin/env python3
"""run_programs.py -- gilscope's end-to-end test runner.

Runs workload programs under gilscope and checks them, and (with --unit) the
cmocka unit-test drivers, and closes with one line "N passed, N failed".

Three kinds of program, by directory:

  tests/programs/*.py               CPython is the oracle: the program runs under
                                    `gilscope run` and under python3; stdout must
                                    be identical, and the exit status must match:
                                    0 for 0; for an uncaught exception gilscope
                                    exits 70 with a traceback whose last line
                                    names the same exception class and whose
                                    frames ("line N, in f") are CPython's; any
                                    other status must be equal.
  tests/programs/gilscope_only/*.py behaviour where gilscope differs from CPython
                                    on purpose (64-bit ints): the expectations
                                    are in the file (see below).
  tests/bad/runtime/*.py            hostile workloads that fail at run time
                                    (recursion, memory, overflow): expectations
                                    in the file, as for gilscope_only.
  tests/bad/syntax/*.py             source errors: expectations in the file; the
                                    runner also checks the "path:line:col:
                                    SyntaxError" prefix and the caret line, and
                                    that python3 rejects the file too.

Expectation lines (anywhere in a file, as comments):
  # expect: TEXT            the next line of stdout (in order; "# expect:" alone
                            is an empty line)
  # expect-exit: N          exit status (default 0)
  # expect-stderr: TEXT     TEXT appears somewhere in stderr
  # expect-stderr-re: RE    RE matches stderr (re.MULTILINE)
  # args: A B ...           command-line arguments (sys.argv[1:]), for any kind

Each program runs with a 20 s timeout in a scratch directory (so trace files
land there), with stdin from /dev/null.  Usage:

  tests/run_programs.py [--gilscope BIN] [--jobs N] [--unit DRIVER]...
                        [--no-programs] [-v] [PROGRAM-OR-GLOB ...]

BIN defaults to $GILSCOPE, else ./gilscope.  A sanitizer build is tested by
passing its binary (make test SANITIZER=address does).
"""

import argparse
import concurrent.futures
import difflib
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAM_DIR = os.path.join(ROOT, "tests", "programs")
BAD_DIR = os.path.join(ROOT, "tests", "bad")
TIMEOUT = 20
UNIT_TIMEOUT = 120
EXIT_RUNTIME = 70
EXIT_SYNTAX = 65

SANITIZER_MARKS = (
    "ERROR: AddressSanitizer",
    "ERROR: LeakSanitizer",
    "WARNING: ThreadSanitizer",
    "ThreadSanitizer: ",
    "runtime error: ",          # UBSan
    "ERROR: UndefinedBehaviorSanitizer",
)

FRAME_RE = re.compile(r'^\s*File "[^"]*", line (\d+), in (\S+)', re.M)


class Result:
    def __init__(self, name, ok, reason="", detail=()):
        self.name = name
        self.ok = ok
        self.reason = reason
        self.detail = list(detail)


class Run:
    def __init__(self, rc, out, err, timed_out=False):
        self.rc, self.out, self.err, self.timed_out = rc, out, err, timed_out


def run(cmd, cwd, timeout=TIMEOUT, env=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        return Run(None, e.stdout or b"", e.stderr or b"", True)
    return Run(p.returncode, p.stdout, p.stderr)


def text(b):
    return b.decode("utf-8", "replace")


def parse_directives(path):
    d = {"expect": [], "exit": None, "stderr": [], "stderr_re": [], "args": [],
         "has_expect": False}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            s = line.strip()
            if not s.startswith("#"):
                continue
            body = s[1:].lstrip()
            key, sep, val = body.partition(":")
            if not sep:
                continue
            val = val[1:] if val.startswith(" ") else val
            if key == "expect":
                d["expect"].append(val.rstrip("\n"))
                d["has_expect"] = True
            elif key == "expect-exit":
                d["exit"] = int(val.strip())
            elif key == "expect-stderr":
                d["stderr"].append(val.strip())
            elif key == "expect-stderr-re":
                d["stderr_re"].append(val.strip())
            elif key == "args":
                d["args"] = shlex.split(val)
    return d


def last_line(s):
    lines = [l for l in s.splitlines() if l.strip()]
    return lines[-1].strip() if lines else ""


def exc_name(s):
    """The exception class named by the last line of a traceback."""
    ll = last_line(s)
    m = re.match(r"([A-Za-z_][\w.]*)", ll)
    return m.group(1).rsplit(".", 1)[-1] if m else ""


def stdout_diff(expected, got, limit=6):
    """A short description of how two outputs differ: the first differing
    line, then a few lines of unified diff."""
    el, gl = expected.splitlines(), got.splitlines()
    first = ""
    for i in range(max(len(el), len(gl))):
        e = el[i] if i < len(el) else "<end of output>"
        g = gl[i] if i < len(gl) else "<end of output>"
        if e != g:
            first = "stdout line %d: expected %r, got %r" % (i + 1, e[:120], g[:120])
            break
    else:
        first = "stdout differs in line endings or trailing newline"
    diff = list(difflib.unified_diff(el, gl, "expected", "gilscope", lineterm="", n=1))
    return first, diff[2:2 + limit]


def sanitizer_report(err):
    for mark in SANITIZER_MARKS:
        i = err.find(mark)
        if i >= 0:
            j = err.rfind("\n", 0, i) + 1
            return err[j:err.find("\n", i) if err.find("\n", i) >= 0 else None]
    return None


class Runner:
    def __init__(self, gilscope, python, scratch):
        self.gilscope = gilscope
        self.python = python
        self.scratch = scratch
        self.run_flags = []
        # Trace files are not wanted here: turn tracing off if gilscope can.
        h = run([gilscope, "run", "--help"], cwd=scratch, timeout=10)
        if b"--no-trace" in h.out + h.err:
            self.run_flags.append("--no-trace")

    def workdir(self, path):
        d = tempfile.mkdtemp(prefix=os.path.basename(path) + ".", dir=self.scratch)
        return d

    def run_gilscope(self, path, args, cwd):
        return run([self.gilscope, "run"] + self.run_flags + [path] + args, cwd)

    def run_python(self, path, args, cwd):
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
        return run([self.python, path] + args, cwd, env=env)

    def check(self, path):
        rel = os.path.relpath(path, ROOT)
        cwd = self.workdir(path)
        try:
            parent = os.path.basename(os.path.dirname(path))
            if parent == "syntax":
                return self.check_source_error(path, rel, cwd)
            if parent in ("gilscope_only", "runtime"):
                return self.check_embedded(path, rel, cwd)
            return self.check_oracle(path, rel, cwd)
        finally:
            shutil.rmtree(cwd, ignore_errors=True)

    def common(self, rel, g):
        """Failures every gilscope run is checked for: hangs, crashes,
        sanitizer reports."""
        if g.timed_out:
            return Result(rel, False, "gilscope timed out after %d s" % TIMEOUT,
                          text(g.err).splitlines()[-3:])
        err = text(g.err)
        if g.rc < 0:
            return Result(rel, False, "gilscope killed by signal %d" % -g.rc,
                          err.splitlines()[-5:])
        rep = sanitizer_report(err)
        if rep:
            return Result(rel, False, "sanitizer: " + rep.strip(),
                          err.splitlines()[:8])
        return None

    def check_oracle(self, path, rel, cwd):
        d = parse_directives(path)
        p = self.run_python(path, d["args"], cwd)
        if p.timed_out:
            return Result(rel, False, "python3 timed out (the program itself is too slow)")
        g = self.run_gilscope(path, d["args"], cwd)
        bad = self.common(rel, g)
        if bad:
            return bad
        pout, gout, perr, gerr = text(p.out), text(g.out), text(p.err), text(g.err)
        if pout != gout:
            first, diff = stdout_diff(pout, gout)
            extra = []
            if g.rc != 0 and p.rc == 0:
                extra = ["gilscope exit %d, stderr: %s" % (g.rc, last_line(gerr)[:160])]
            return Result(rel, False, first, extra + diff)
        if p.rc == 0:
            if g.rc != 0:
                return Result(rel, False, "exit %d, python3 exits 0" % g.rc,
                              ["stderr: " + last_line(gerr)[:160]])
            return Result(rel, True)
        if "Traceback (most recent call last):" in perr:
            want = exc_name(perr)
            got = exc_name(gerr)
            if g.rc != EXIT_RUNTIME:
                return Result(rel, False, "exit %s, expected %d (uncaught %s)" % (g.rc, EXIT_RUNTIME, want),
                              ["stderr: " + last_line(gerr)[:160]])
            if got != want:
                return Result(rel, False, "uncaught %r, python3 raises %r" % (got or last_line(gerr)[:80], want),
                              ["python3:  " + last_line(perr)[:160], "gilscope: " + last_line(gerr)[:160]])
            if "Traceback (most recent call last):" not in gerr:
                return Result(rel, False, "no 'Traceback (most recent call last):' on stderr",
                              gerr.splitlines()[-4:])
            # The frames of the last traceback (a chained exception prints
            # several; gilscope need only print the last).
            last = lambda e: e[e.rfind("Traceback (most recent call last):"):]
            pf = FRAME_RE.findall(last(perr))
            gf = FRAME_RE.findall(last(gerr))
            if pf != gf:
                fmt = lambda fr: " ".join("%s:%s" % (n, l) for l, n in fr)
                return Result(rel, False, "traceback frames differ",
                              ["python3:  " + fmt(pf), "gilscope: " + fmt(gf)])
            return Result(rel, True)
        if g.rc != p.rc:
            return Result(rel, False, "exit %s, python3 exits %d" % (g.rc, p.rc))
        return Result(rel, True)

    def check_expectations(self, rel, d, g, default_exit=0):
        gout, gerr = text(g.out), text(g.err)
        want_out = "".join(l + "\n" for l in d["expect"])
        if gout != want_out:
            first, diff = stdout_diff(want_out, gout)
            return Result(rel, False, first,
                          ["exit %s, stderr: %s" % (g.rc, last_line(gerr)[:160])] + diff)
        want_rc = d["exit"] if d["exit"] is not None else default_exit
        if g.rc != want_rc:
            return Result(rel, False, "exit %d, expected %d" % (g.rc, want_rc),
                          ["stderr: " + last_line(gerr)[:160]])
        for frag in d["stderr"]:
            if frag not in gerr:
                return Result(rel, False, "stderr lacks %r" % frag, gerr.splitlines()[-4:])
        for rx in d["stderr_re"]:
            if not re.search(rx, gerr, re.M):
                return Result(rel, False, "stderr does not match /%s/" % rx, gerr.splitlines()[-4:])
        return None

    def check_embedded(self, path, rel, cwd):
        d = parse_directives(path)
        g = self.run_gilscope(path, d["args"], cwd)
        bad = self.common(rel, g) or self.check_expectations(rel, d, g)
        return bad or Result(rel, True)

    def check_source_error(self, path, rel, cwd):
        d = parse_directives(path)
        # The test itself must be right: CPython rejects the file as well.
        p = self.run_python(path, d["args"], cwd)
        pexc = exc_name(text(p.err))
        if p.rc == 0 or pexc not in ("SyntaxError", "IndentationError", "TabError"):
            return Result(rel, False, "bad test: python3 does not reject it with a SyntaxError (%s)" % pexc)
        g = self.run_gilscope(path, d["args"], cwd)
        bad = self.common(rel, g) or self.check_expectations(rel, d, g, default_exit=EXIT_SYNTAX)
        if bad:
            return bad
        gerr = text(g.err)
        head = re.escape(path) + r":\d+:\d+: (SyntaxError|IndentationError|TabError): \S"
        if not re.search(head, gerr, re.M):
            return Result(rel, False, "stderr lacks 'PATH:LINE:COL: SyntaxError: ...'",
                          gerr.splitlines()[:4])
        if not re.search(r"^\s*\^", gerr, re.M):
            return Result(rel, False, "stderr lacks the caret line under the source line",
                          gerr.splitlines()[:4])
        return Result(rel, True)


CMOCKA_PASSED = re.compile(r"^\[  PASSED  \] (\d+) test", re.M)
CMOCKA_FAILED = re.compile(r"^\[  FAILED  \] (\d+) test", re.M)


def run_unit(binary):
    """Runs one cmocka driver; returns (passed, failed, lines to show)."""
    name = os.path.basename(binary)
    r = run([os.path.abspath(binary)], cwd=ROOT, timeout=UNIT_TIMEOUT)
    out = text(r.out) + text(r.err)
    if r.timed_out:
        return 0, 1, ["FAIL %s: timed out after %d s" % (name, UNIT_TIMEOUT)] + out.splitlines()[-5:]
    mp = CMOCKA_PASSED.findall(out)
    mf = CMOCKA_FAILED.findall(out)
    passed = int(mp[-1]) if mp else 0
    failed = int(mf[-1]) if mf else 0
    rep = sanitizer_report(out)
    show = []
    if r.rc != 0 and failed == 0:
        failed = 1      # crashed, or failed outside a test case
    if rep and failed == 0:
        failed = 1
    if failed or r.rc != 0 or rep:
        why = "killed by signal %d" % -r.rc if r.rc < 0 else "exit %d" % r.rc
        show.append("FAIL %s: %d failed (%s)" % (name, failed, why))
        show += ["    " + l for l in out.splitlines()
                 if "FAILED" in l or "ERROR" in l or "Sanitizer" in l or "runtime error" in l
                 or l.startswith("[  ERROR") or "Test failed" in l][:20]
    else:
        show.append("unit %s: %d passed" % (name, passed))
    return passed, failed, show


def collect(patterns):
    default = not patterns
    if default:
        patterns = [os.path.join(PROGRAM_DIR, "*.py"),
                    os.path.join(PROGRAM_DIR, "*", "*.py"),
                    os.path.join(BAD_DIR, "syntax", "*.py"),
                    os.path.join(BAD_DIR, "runtime", "*.py")]
    files = []
    for pat in patterns:
        hits = glob.glob(pat) or glob.glob(os.path.join(ROOT, pat))
        if not hits and os.path.exists(pat):
            hits = [pat]
        if not hits and not default:
            print("run_programs: no program matches %r" % pat, file=sys.stderr)
        files += hits
    return sorted(set(os.path.abspath(f) for f in files))


def run_suite(cmd):
    """Runs a test command (a shell line), echoing its output; its closing
    'N passed, N failed' line is counted in.  One failure if it has none."""
    proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    last = None
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        m = re.match(r"^(\d+) passed, (\d+) failed$", line)
        if m:
            last = (int(m.group(1)), int(m.group(2)))
            words = [os.path.basename(w) for w in cmd.split() if w.endswith((".py", ".sh"))] or cmd.split()[:1]
            print("suite %s: %s" % (words[0] if words else cmd, line), flush=True)
        else:
            print(line, flush=True)
    rc = proc.wait()
    if last is None:
        print("FAIL suite %s: exited %d without a 'N passed, N failed' line" % (cmd, rc), flush=True)
        return 0, 1
    if rc != 0 and last[1] == 0:
        print("FAIL suite %s: exited %d" % (cmd, rc), flush=True)
        return last[0], 1
    return last


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("programs", nargs="*", help="program files or globs (default: all)")
    ap.add_argument("--gilscope", default=os.environ.get("GILSCOPE") or os.path.join(ROOT, "gilscope"))
    ap.add_argument("--python", default=os.environ.get("PYTHON3", "python3"))
    ap.add_argument("--jobs", "-j", type=int, default=int(os.environ.get("JOBS", "2")))
    ap.add_argument("--unit", action="append", default=[], help="a cmocka driver to run")
    ap.add_argument("--no-programs", action="store_true")
    ap.add_argument("--suite", action="append", default=[],
                    help="another test command whose last line is 'N passed, N failed' (counted in)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    passed = failed = 0
    for binary in a.unit:
        p, f, show = run_unit(binary)
        passed += p
        failed += f
        for l in show:
            print(l, flush=True)

    if not a.no_programs:
        gilscope = os.path.abspath(a.gilscope)
        if not os.access(gilscope, os.X_OK):
            print("FAIL: no gilscope binary at %s (run make first)" % gilscope)
            failed += 1
        else:
            files = collect(a.programs)
            scratch = tempfile.mkdtemp(prefix="gilscope-tests.")
            try:
                runner = Runner(gilscope, a.python, scratch)
                with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as ex:
                    p_passed = p_failed = 0
                    for res in ex.map(runner.check, files):
                        if res.ok:
                            p_passed += 1
                            if a.verbose:
                                print("ok   %s" % res.name, flush=True)
                        else:
                            p_failed += 1
                            print("FAIL %s: %s" % (res.name, res.reason), flush=True)
                            for l in res.detail:
                                print("    " + l, flush=True)
                print("programs: %d of %d passed (%s)" % (p_passed, p_passed + p_failed,
                                                          os.path.relpath(gilscope, os.getcwd())))
                passed += p_passed
                failed += p_failed
            finally:
                shutil.rmtree(scratch, ignore_errors=True)

    for cmd in a.suite:
        p, f = run_suite(cmd)
        passed += p
        failed += f

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
