# Thread names (default "Thread-N (target)"), ident, current_thread, main_thread.
import threading


def task():
    pass


seen = {}


def record(key):
    t = threading.current_thread()
    seen[key] = (t.name, t.ident == threading.get_ident(), t is threading.main_thread())


a = threading.Thread(target=task)
b = threading.Thread(target=record, args=("b",), name="worker-b")
c = threading.Thread(target=record, args=("c",))
print(a.name)
print(b.name)
print(c.name)
print(a.ident)
for t in (a, b, c):
    t.start()
for t in (a, b, c):
    t.join()
print(type(a.ident).__name__, a.ident > 0)
print(seen["b"])
print(seen["c"])

main = threading.main_thread()
print(main.name, main is threading.current_thread(), main.ident == threading.get_ident())
print(threading.current_thread().name)
record("main")
print(seen["main"])

# renaming
b.name = "renamed"
print(b.name)


class Named(threading.Thread):
    pass


n = Named()
print(n.name)
