# An exception in a thread ends that thread only: CPython prints
# "Exception in thread ..." with the traceback on stderr; main goes on.
import threading

results = []


def fails(n):
    results.append("started %d" % n)
    raise ValueError("bad value %d" % n)


def works():
    results.append("works ran")


t = threading.Thread(target=fails, args=(1,), name="failing")
t.start()
t.join()
print(results)
print("alive after failing:", t.is_alive())

w = threading.Thread(target=works)
w.start()
w.join()
print(results)


class Boom(threading.Thread):
    def run(self):
        x = {}
        return x["missing"]


b = Boom(name="boom")
b.start()
b.join()
print("main continues after", b.name)

# a custom excepthook sees the exception and the thread
seen = []


def hook(args):
    seen.append((args.exc_type.__name__, str(args.exc_value), args.thread.name))


old_hook = threading.excepthook
threading.excepthook = hook
t = threading.Thread(target=fails, args=(2,), name="hooked")
t.start()
t.join()
print(seen)
threading.excepthook = old_hook
print("done")
