# A thread that raises: "Exception in thread" on stderr, the others and the
# main thread carry on; SystemExit in a thread ends only that thread.
import os
import queue
import sys
import threading

MAIN_PID = os.getpid()


def ok(q, i):
    q.put(("ok", i, os.getpid() != MAIN_PID))


def bad(q, i):
    q.put(("bad", i, os.getpid() != MAIN_PID))
    raise ValueError("thread %d failed" % i)


def leave(q, i):
    q.put(("exit", i, os.getpid() != MAIN_PID))
    sys.exit(2)


def main():
    q = queue.Queue()
    fns = [ok, bad, leave, ok]
    ts = [threading.Thread(target=fns[i], args=(q, i), name="t%d" % i) for i in range(4)]
    for t in ts:
        t.start()
        t.join()
    got = [q.get() for t in ts]
    print([(k, i) for k, i, sep in got])
    print([t.is_alive() for t in ts], [t.name for t in ts])
    print("mode: separate=%s" % all([sep for k, i, sep in got]))


main()
