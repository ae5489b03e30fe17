# multiprocessing.Queue between processes: a producer, a consumer with a
# sentinel, bounded queues, Empty and Full, and values of every sendable type.
import multiprocessing
import queue


def produce(q, n):
    for i in range(n):
        q.put(i)
    q.put(None)


def consume(q, out):
    total = 0
    count = 0
    while True:
        item = q.get()
        if item is None:
            break
        total += item
        count += 1
    out.put((count, total))


if __name__ == "__main__":
    q = multiprocessing.Queue(maxsize=10)
    out = multiprocessing.Queue()
    p = multiprocessing.Process(target=produce, args=(q, 2000))
    c = multiprocessing.Process(target=consume, args=(q, out))
    p.start()
    c.start()
    print(out.get())
    p.join()
    c.join()
    print(p.exitcode, c.exitcode)

    small = multiprocessing.Queue(2)
    small.put("a")
    small.put("b")
    try:
        small.put_nowait("c")
    except queue.Full:
        print("Full")
    try:
        small.put("c", True, 0.05)
    except queue.Full:
        print("Full after timeout")
    print(small.get(), small.get())
    try:
        small.get(timeout=0.05)
    except queue.Empty:
        print("Empty after timeout")
    try:
        small.get_nowait()
    except queue.Empty:
        print("Empty")

    values = [None, True, False, 0, -1, 2 ** 62, -9223372036854775807 - 1, 1.5, -0.0, "", "héllo ✓", b"\x00\xff",
              (), (1, (2, [3, {4: "x"}])), [1, "a", None], {"k": [1, 2], 3: (4,)}, {1, 2, 3}]
    echo = multiprocessing.Queue()
    for v in values:
        echo.put(v)
    got = [echo.get() for v in values]
    print(got == values)
    print(got)
