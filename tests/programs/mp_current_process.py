# current_process(): "MainProcess" in the parent; in a child the Process
# object itself, named Process-N (Process-N:M for a grandchild).
import multiprocessing
import os


def grandchild(q):
    me = multiprocessing.current_process()
    q.put(("grandchild", me.name, me.pid == os.getpid()))


def child(q):
    me = multiprocessing.current_process()
    q.put(("child", me.name, me.pid == os.getpid(), me.daemon))
    g = multiprocessing.Process(target=grandchild, args=(q,))
    g.start()
    g.join()
    q.put(("child saw", g.name, g.exitcode))


if __name__ == "__main__":
    main = multiprocessing.current_process()
    print(main.name, main.pid == os.getpid(), main.daemon)
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=child, args=(q,))
    p.start()
    p.join()
    for i in range(3):
        print(q.get())
    print(multiprocessing.active_children())
    p2 = multiprocessing.Process(target=child, args=(q,), name="second")
    p2.start()
    print(len(multiprocessing.active_children()) <= 1)
    p2.join()
    for i in range(3):
        print(q.get())
    print(multiprocessing.current_process().name)
