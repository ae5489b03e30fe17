# Untrusted names: thread names and this file's own name carry markup, quotes,
# control characters, a lone surrogate, emoji and 300 characters; every
# export (SVG, JSON, PNG, PDF), stats and the viewer must escape or replace
# them and still parse (tests/run_bad_tests.py).
import threading
names = ["</text><script>alert(1)</script>", "\"quoted\" & 'apos' <b>", "line1\nline2", "ctrl\x01\x07\x1b[31mred", "tab\there", "emoji \u2603 \U0001F600", "lone \udc80 surrogate", "]]><!-- -->", "back\\slash", "x" * 300, ""]
def work():
    n = 0
    for i in range(20000):
        n += i
ts = [threading.Thread(target=work, name=nm) for nm in names]
for t in ts: t.start()
for t in ts: t.join()
print("done")
