# The main thread dies of an uncaught exception: CPython still waits for the
# non-daemon threads, then exits with status 1 and a traceback.
import threading
import time

done = []


def slow():
    time.sleep(0.1)
    done.append("worker finished")
    print("worker finished")


t = threading.Thread(target=slow)
t.start()
print("main raises")


def fail():
    raise RuntimeError("main thread failed")


fail()
