# Thread subclasses with run(), current_thread().name inside each, names
# and results through a queue; the main thread is MainThread everywhere.
import os
import queue
import threading

MAIN_PID = os.getpid()


class Summer(threading.Thread):
    def __init__(self, q, lo, hi):
        threading.Thread.__init__(self, name="sum-%d-%d" % (lo, hi))
        self.q = q
        self.lo = lo
        self.hi = hi

    def run(self):
        total = 0
        for i in range(self.lo, self.hi):
            total += i * i
        self.q.put((self.lo, total, threading.current_thread().name, os.getpid() != MAIN_PID))


def main():
    q = queue.Queue()
    parts = [Summer(q, k * 1000, (k + 1) * 1000) for k in range(4)]
    for p in parts:
        p.start()
    for p in parts:
        p.join()
    got = sorted([q.get() for p in parts])
    print([g[2] for g in got])
    print("total:", sum([g[1] for g in got]), sum([i * i for i in range(4000)]))
    print(threading.current_thread().name)
    print("mode: separate=%s" % all([g[3] for g in got]))


main()
