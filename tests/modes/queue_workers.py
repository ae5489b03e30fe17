# Workers take tasks from one queue.Queue and put results on another; the
# main thread collects and sorts them.  Under --mode processes each worker
# is a forked process and the queues are process-shared.
import os
import queue
import threading

MAIN_PID = os.getpid()


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def worker(tasks, results):
    while True:
        n = tasks.get()
        if n is None:
            tasks.task_done()
            break
        results.put((n, fib(n), os.getpid() != MAIN_PID))
        tasks.task_done()


def main():
    tasks = queue.Queue()
    results = queue.Queue()
    workers = [threading.Thread(target=worker, args=(tasks, results), name="w%d" % i) for i in range(3)]
    for n in range(18):
        tasks.put(n)
    for w in workers:
        tasks.put(None)
    for w in workers:
        w.start()
    tasks.join()
    for w in workers:
        w.join()
    got = sorted([results.get() for i in range(18)])
    print([r[1] for r in got])
    print("alive after join:", [w.is_alive() for w in workers])
    print("mode: separate=%s" % all([r[2] for r in got]))


main()
