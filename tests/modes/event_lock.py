# modes: threads processes   (sequential would wait forever: the main thread sets the Event after start)
# An Event releases waiting threads at once; a Lock serialises a critical
# section whose order is recorded through a queue.
import os
import queue
import threading
import time

MAIN_PID = os.getpid()


def waiter(go, lock, log, i):
    go.wait()
    with lock:
        log.put(("in", i))
        time.sleep(0.01)
        log.put(("out", i))
    log.put(("pid", os.getpid() != MAIN_PID))


def main():
    go = threading.Event()
    lock = threading.Lock()
    log = queue.Queue()
    threads = [threading.Thread(target=waiter, args=(go, lock, log, i)) for i in range(4)]
    for t in threads:
        t.start()
    print("set before:", go.is_set())
    go.set()
    for t in threads:
        t.join()
    events = [log.get() for i in range(12)]
    sections = [e for e in events if e[0] != "pid"]
    nested = False
    for k in range(0, len(sections), 2):
        if sections[k][0] != "in" or sections[k + 1] != ("out", sections[k][1]):
            nested = True
    print("sections:", len(sections) // 2, "never overlapped:", not nested)
    print("lock free:", lock.acquire(False))
    lock.release()
    print("mode: separate=%s" % all([e[1] for e in events if e[0] == "pid"]))


main()
