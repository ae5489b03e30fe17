# multiprocessing.Process with target, args, kwargs and name; results come
# back through a Queue; each child runs in its own process.
import multiprocessing
import os


def work(q, base, times=1, tag="-"):
    q.put((base, base * times, tag, os.getpid() != PARENT, os.getppid() == PARENT))


PARENT = os.getpid()

if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=work, args=(q, 6), kwargs={"times": 7, "tag": "kw"}, name="worker")
    print(p.name, p.pid, p.exitcode, p.is_alive())
    p.start()
    print(q.get())
    p.join()
    print(p.name, p.pid != PARENT, p.pid > 0, p.exitcode, p.is_alive())
    procs = []
    for i in range(3):
        procs.append(multiprocessing.Process(target=work, args=(q, i)))
    for p in procs:
        p.start()
    results = [q.get() for i in range(3)]
    for p in procs:
        p.join()
    print(sorted(results))
    print([p.name for p in procs], [p.exitcode for p in procs])
    print(len(set([p.pid for p in procs])) == 3)
