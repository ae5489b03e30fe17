#!/usr/bin/env python3
"""run_bad_tests.py -- the bad-input corpus: options and damaged traces.

Reads tests/bad/cases.txt (its header explains the format), makes the damaged
traces it names from two small traces recorded for the run, runs every case
under a timeout and checks: the exit status, the expected message, a single
line on stderr for an error, no crash, no sanitizer report.  The workloads of
the corpus (tests/bad/syntax, tests/bad/runtime) are run by run_programs.py.

  tests/run_bad_tests.py [--gilscope BIN]

Closes with one line "N passed, N failed".
"""

import argparse
import os
import random
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, "tests", "bad", "cases.txt")
WORKLOAD = os.path.join(ROOT, "data", "workloads", "countdown.py")
TIMEOUT = 60
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "WARNING: ThreadSanitizer", "ERROR: ThreadSanitizer")


def chunks(b):
    """(offset, type, payload length) of each well-formed chunk."""
    out, off = [], 0
    while off + 32 <= len(b) and b[off:off + 4] == b"GILT":
        n = struct.unpack_from("<I", b, off + 8)[0]
        out.append((off, b[off + 5], n))
        off += 32 + n
    return out


def refresh_frame_crc(v, off):
    struct.pack_into("<I", v, off + 28, zlib.crc32(bytes(v[off:off + 28])))


def flip(b, frac):
    v = bytearray(b)
    i = min(len(v) - 1, int(len(v) * frac))
    v[i] ^= 0x10
    return bytes(v)


def make_traces(good, other):
    """name -> bytes of every damaged trace the cases may name (cut* is a list)."""
    cs = chunks(good)
    assert len(cs) >= 4, "the recorded trace has only %d chunks" % len(cs)
    t = {"good": good, "empty": b"", "text": b"hello, world\n" * 10}
    t["magic"] = b"XILT" + good[4:]
    v = bytearray(good)
    v[4] = 2
    refresh_frame_crc(v, 0)
    t["version"] = bytes(v)
    t["frame7"] = good[:7]
    v = bytearray(good)
    struct.pack_into("<I", v, 8, 0x7fffffff)
    refresh_frame_crc(v, 0)
    t["overclaim0"] = bytes(v)
    v = bytearray(good)
    last = cs[-1][0]
    struct.pack_into("<I", v, last + 8, 0x7fffffff)
    refresh_frame_crc(v, last)
    t["overclaimlast"] = bytes(v)
    t["fliphdr"] = flip(good, 12 / len(good))
    t["cut20"] = good[:20]
    for pct in (5, 50, 95):
        t["flip%d" % pct] = flip(good, pct / 100)
    v = bytearray(good)
    mid = len(v) // 2
    v[mid:mid + 64] = bytes(64)
    t["zero50"] = bytes(v)
    rnd = random.Random(7)
    t["garbagetail"] = good + bytes(rnd.randrange(256) for _ in range(1000))
    t["doubled"] = good + other
    t["cutmid"] = good[:len(good) // 2]
    # every chunk boundary, and 20 bytes into every chunk
    cuts = []
    for off, _, _ in cs[1:]:
        cuts.append(("cut@%d" % off, good[:off]))
    for off, _, n in cs[1:]:
        cuts.append(("cut@%d+20" % off, good[:off + 20]))
    t["cut*"] = cuts
    return t


def one_line_error(err):
    lines = [l for l in err.splitlines() if l.strip()]
    return len(lines) == 1


def run_case(gilscope, args, scratch):
    try:
        p = subprocess.run([gilscope] + args, cwd=scratch, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT,
                           env=dict(os.environ, SDL_VIDEODRIVER="offscreen"))
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % TIMEOUT


def check(gilscope, args, want_rc, regex, scratch):
    rc, out, err = run_case(gilscope, args, scratch)
    if rc is None:
        return "hung: " + err
    if rc < 0:
        return "killed by signal %d: %s" % (-rc, err.strip().splitlines()[-1:] if err.strip() else "")
    for m in SANITIZER_MARKS:
        if m in err:
            i = err.find(m)
            return "sanitizer: " + err[i:i + 200]
    if rc != want_rc:
        return "exit %d, expected %d: %s" % (rc, want_rc, (err.strip() or out.strip())[:300])
    if not re.search(regex, err + out):
        return "no match for /%s/ in: %s" % (regex, (err.strip() or out.strip())[:300])
    if want_rc != 0 and not one_line_error(err):
        return "the error is not one line: %r" % err[:400]
    return None


def parse_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            parts = [p.strip() for p in s.split("|", 3)]
            if len(parts) != 4:
                raise SystemExit("%s:%d: expected NAME | ARGS | EXIT | REGEX" % (path, n))
            cases.append((parts[0], parts[1], int(parts[2]), parts[3]))
    return cases


def record(gilscope, scratch, name, extra):
    path = os.path.join(scratch, name)
    r = subprocess.run([gilscope, "run", "-q", "--gil", "legacy", "-o", path] + extra,
                       cwd=scratch, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=TIMEOUT)
    if r.returncode != 0:
        raise SystemExit("run_bad_tests: recording %s failed: %s" % (name, r.stderr.decode()[-300:]))
    with open(path, "rb") as f:
        return f.read()


NAMES = os.path.join(ROOT, "tests", "bad", "names", 'we<ird>&"na me.py')


def check_names(gilscope, scratch):
    """Untrusted thread names and workload path through every output."""
    import json
    import xml.etree.ElementTree as ET
    trace = os.path.join(scratch, "names.gilt")
    r = subprocess.run([gilscope, "run", "-q", "-o", trace, NAMES], cwd=scratch,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    if r.returncode != 0:
        yield "run", "exit %d: %s" % (r.returncode, r.stderr.decode()[-300:])
        return

    def out(*args):
        p = subprocess.run([gilscope] + list(args), cwd=scratch, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT,
                           env=dict(os.environ, SDL_VIDEODRIVER="offscreen"))
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode != 0 or "WARNING" in err or "CRITICAL" in err:
            raise ValueError("exit %d: %s" % (p.returncode, err[-300:]))
        return p.stdout

    def attempt(label, fn):
        try:
            fn()
            return label, None
        except Exception as e:       # a parse error, a missing name, a warning
            return label, "%s: %s" % (type(e).__name__, e)

    def stats_json():
        d = json.loads(out("stats", "--json", trace).decode("utf-8"))
        names = [t["name"] for t in d["threads"]]
        for want in ("</text><script>alert(1)</script>", "\"quoted\" & 'apos' <b>", "line1 line2",
                     "emoji \u2603 \U0001F600", "]]><!-- -->"):
            if want not in names:
                raise ValueError("%r not among %r" % (want, names))
        if any(ch < " " for n in names for ch in n):
            raise ValueError("a control character in a name")
        if not d["runs"][0]["workload"].endswith('we<ird>&"na me.py'):
            raise ValueError("workload %r" % d["runs"][0]["workload"])

    def stats_text():
        b = out("stats", trace)
        b.decode("utf-8")      # valid UTF-8
        if any(c < 0x20 and c not in (0x0a,) for c in b):
            raise ValueError("a control byte on the terminal")

    def svg():
        path = os.path.join(scratch, "names.svg")
        out("export", trace, "-o", path)
        root = ET.parse(path).getroot()
        text = "".join(root.itertext())
        if "</text><script>alert(1)</script>" not in text or 'we<ird>&"na me.py' not in text:
            raise ValueError("the names are not in the SVG's text")

    def perfetto():
        path = os.path.join(scratch, "names.json")
        out("export", trace, "-o", path)
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        evs = d["traceEvents"] if isinstance(d, dict) else d
        names = [e.get("args", {}).get("name") for e in evs if e.get("ph") == "M"]
        if "</text><script>alert(1)</script>" not in names:
            raise ValueError("thread names missing from the M events")

    def raster(ext):
        path = os.path.join(scratch, "names." + ext)
        out("export", trace, "-o", path)
        if os.path.getsize(path) < 1000:
            raise ValueError("a %d-byte %s" % (os.path.getsize(path), ext))

    def viewer():
        path = os.path.join(scratch, "names-view.png")
        out("view", "--offscreen", "--screenshot", path, trace)

    yield attempt("stats --json parses, names kept, controls replaced", stats_json)
    yield attempt("stats prints no control characters", stats_text)
    yield attempt("SVG parses and holds the names as text", svg)
    yield attempt("Perfetto JSON parses and names the threads", perfetto)
    yield attempt("PNG without pango warnings", lambda: raster("png"))
    yield attempt("PDF without pango warnings", lambda: raster("pdf"))
    yield attempt("viewer screenshot without pango warnings", viewer)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gilscope", default="./gilscope")
    a = ap.parse_args()
    gilscope = os.path.abspath(a.gilscope)
    scratch = tempfile.mkdtemp(prefix="gilscope-bad-")
    passed = failed = 0
    try:
        good = record(gilscope, scratch, "good.gilt", [WORKLOAD, "400000", "3"])
        other = record(gilscope, scratch, "other.gilt", [WORKLOAD, "100000", "2"])
        traces = make_traces(good, other)
        for name, argstr, want_rc, regex in parse_cases(CASES):
            words = shlex.split(argstr)
            # expand @trace references (cut* into one run per cut)
            runs = [(name, [])]
            for w in words:
                if w.startswith("@"):
                    key = w[1:]
                    if key not in traces:
                        raise SystemExit("run_bad_tests: case %s names an unknown trace @%s" % (name, key))
                    val = traces[key]
                    items = val if isinstance(val, list) else [(key, val)]
                    new = []
                    for rn, rargs in runs:
                        for label, data in items:
                            p = os.path.join(scratch, label.replace("@", "_").replace("+", "_") + ".gilt")
                            with open(p, "wb") as f:
                                f.write(data)
                            new.append((rn if len(items) == 1 else "%s[%s]" % (rn, label), rargs + [p]))
                    runs = new
                else:
                    w = (w.replace("{W}", WORKLOAD).replace("{DIR}", scratch)
                          .replace("{OUT}", os.path.join(scratch, "out-" + name)))
                    runs = [(rn, rargs + [w]) for rn, rargs in runs]
            bad = []
            for rn, rargs in runs:
                why = check(gilscope, rargs, want_rc, regex, scratch)
                if why:
                    bad.append("%s: %s" % (rn, why))
            if bad:
                failed += 1
                print("FAIL bad %s" % name)
                for b in bad[:5]:
                    print("    " + b)
            else:
                passed += 1
                extra = " (%d runs)" % len(runs) if len(runs) > 1 else ""
                print("ok   bad %s%s" % (name, extra))
        for label, why in check_names(gilscope, scratch):
            if why:
                failed += 1
                print("FAIL bad names: %s: %s" % (label, why))
            else:
                passed += 1
                print("ok   bad names: %s" % label)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
