# The daemon flag: inherited from the creating thread; a daemon thread left
# blocked does not keep the program alive.
import threading

never = threading.Event()


def block_forever():
    never.wait()


print(threading.main_thread().daemon)
t = threading.Thread(target=block_forever)
print(t.daemon)
d = threading.Thread(target=block_forever, daemon=True)
print(d.daemon)
d.start()

inherited = []


def spawn():
    child = threading.Thread(target=lambda: None)
    inherited.append(child.daemon)


p = threading.Thread(target=spawn, daemon=True)
p.start()
p.join()
print("child of a daemon is a daemon:", inherited)

q = threading.Thread(target=spawn)
inherited.clear()
q.start()
q.join()
print("child of a normal thread:", inherited)

e = threading.Thread(target=block_forever)
e.daemon = True
print(e.daemon)
e.start()
try:
    e.daemon = False
except RuntimeError as err:
    print("RuntimeError:", err)
print("daemon alive at exit:", d.is_alive(), e.is_alive())
print("main exits")
