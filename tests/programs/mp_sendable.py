# What crosses processes: module-level functions and classes by name,
# instances of module-level classes, exceptions; a lambda cannot be sent.
import multiprocessing


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)


def double(x):
    return 2 * x


def child(conn):
    while True:
        msg = conn.recv()
        if msg is None:
            break
        kind, value = msg
        if kind == "call":
            fn, arg = value
            conn.send(fn(arg))
        elif kind == "point":
            conn.send((type(value).__name__, value.x, value.y, value.norm1()))
        else:
            conn.send(("exc", type(value).__name__, value.args))
    conn.close()


if __name__ == "__main__":
    a, b = multiprocessing.Pipe()
    p = multiprocessing.Process(target=child, args=(b,))
    p.start()
    a.send(("call", (double, 21)))
    print(a.recv())
    a.send(("call", (len, "four")))
    print(a.recv())
    a.send(("point", Point(3, -4)))
    print(a.recv())
    a.send(("exc", KeyError("k", 2)))
    print(a.recv())
    try:
        a.send(("call", (lambda x: x, 1)))
    except Exception:
        print("a lambda cannot be sent")
    a.send(None)
    p.join()
    print(p.exitcode)
