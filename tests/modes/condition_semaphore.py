# modes: threads processes   (sequential would wait forever: the relay needs the threads at once)
# A Semaphore caps how many threads are inside at once; a Condition with a
# queue-carried state hands a token around in order.
import os
import queue
import threading
import time

MAIN_PID = os.getpid()


def limited(sem, log, i):
    with sem:
        log.put(("enter", i))
        time.sleep(0.02)
        log.put(("leave", i))


def relay(cond, turn, out, i, n):
    for r in range(n):
        with cond:
            while True:
                cur = turn.get()
                if cur == i:
                    break
                turn.put(cur)
                cond.notify_all()
                cond.wait(0.05)
            out.put((r, i, os.getpid() != MAIN_PID))
            turn.put((i + 1) % 3)
            cond.notify_all()


def main():
    sem = threading.Semaphore(2)
    log = queue.Queue()
    ts = [threading.Thread(target=limited, args=(sem, log, i)) for i in range(5)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    inside = 0
    peak = 0
    for k in range(10):
        kind, i = log.get()
        inside += 1 if kind == "enter" else -1
        peak = max(peak, inside)
    print("peak inside:", peak <= 2, "balanced:", inside == 0)

    cond = threading.Condition()
    turn = queue.Queue()
    turn.put(0)
    out = queue.Queue()
    ts = [threading.Thread(target=relay, args=(cond, turn, out, i, 3)) for i in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    order = [out.get() for k in range(9)]
    print("order:", [(r, i) for r, i, sep in order])
    print("mode: separate=%s" % all([sep for r, i, sep in order]))


main()
