# Pipe(): two Connections over which whole messages travel; poll, bytes,
# EOFError when the other end is closed, one-way pipes.
import multiprocessing


def echo_upper(conn):
    while True:
        msg = conn.recv()
        if msg is None:
            break
        conn.send(msg.upper())
    conn.send_bytes(b"bye")
    conn.close()


def writer(w):
    for i in range(5):
        w.send(("item", i, [i] * i))
    w.close()


if __name__ == "__main__":
    a, b = multiprocessing.Pipe()
    p = multiprocessing.Process(target=echo_upper, args=(b,))
    p.start()
    b.close()
    print(a.poll(0))
    for word in ["alpha", "beta", "gamma"]:
        a.send(word)
        print(a.recv())
    a.send(None)
    print(a.recv_bytes())
    try:
        a.recv()
    except EOFError:
        print("EOFError")
    p.join()
    a.close()
    print(a.closed, p.exitcode)

    r, w = multiprocessing.Pipe(duplex=False)
    p = multiprocessing.Process(target=writer, args=(w,))
    p.start()
    w.close()
    items = []
    while True:
        try:
            items.append(r.recv())
        except EOFError:
            break
    p.join()
    print(items)
    print(r.readable, r.writable)
    try:
        r.send(1)
    except OSError as e:
        print("OSError:", e)
    r.close()
