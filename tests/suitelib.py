"""suitelib.py -- what the suite scripts under tests/ share: a failure type,
`gilscope stats` as JSON or text, and the tally that prints "ok"/"FAIL"
lines and closes with "N passed, N failed" (the line make test counts)."""

import json
import subprocess
import sys


class Failure(Exception):
    """A check that did not hold; its text says what was seen."""


def stats_json(gilscope, trace, timeout=120):
    p = subprocess.run([gilscope, "stats", "--json", trace], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    if p.returncode != 0:
        raise Failure("stats of %s failed (exit %d): %s" % (trace, p.returncode, p.stderr.decode()[-300:]))
    return json.loads(p.stdout)


def stats_text(gilscope, trace, timeout=120):
    p = subprocess.run([gilscope, "stats", trace], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    if p.returncode != 0:
        raise Failure("stats of %s failed (exit %d)" % (trace, p.returncode))
    return p.stdout.decode("utf-8", "replace")


class Tally:
    """ok/FAIL lines under one prefix; close() prints the count and exits."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.passed = self.failed = 0

    def ok(self, label):
        self.passed += 1
        print("ok   %s: %s" % (self.prefix, label), flush=True)

    def fail(self, label, why):
        self.failed += 1
        print("FAIL %s: %s: %s" % (self.prefix, label, why), flush=True)

    def run(self, label, fn, *args):
        """Calls fn(*args); its string result is shown after the label."""
        try:
            note = fn(*args)
        except Failure as e:
            self.fail(label, e)
        except subprocess.TimeoutExpired as e:
            self.fail(label, "timed out (%s)" % e)
        else:
            if note is None:
                print("skip %s: %s" % (self.prefix, label), flush=True)
            else:
                self.ok("%s (%s)" % (label, note) if note else label)

    def close(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)
