# multiprocessing.Value and Array in shared memory: children's writes are
# seen by the parent; typecodes behave as ctypes (ints wrap, floats round).
import multiprocessing


def fill(arr, start):
    for i in range(len(arr)):
        arr[i] = start + i * i


def add(v, arr, n):
    for i in range(n):
        with v.get_lock():
            v.value += 1
    with arr.get_lock():
        for i in range(len(arr)):
            arr[i] = arr[i] + 0.5


if __name__ == "__main__":
    v = multiprocessing.Value("i", 0)
    d = multiprocessing.Array("d", [1.0, 2.0, 3.0])
    ps = [multiprocessing.Process(target=add, args=(v, d, 300)) for i in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(v.value, d[:], len(d))

    arr = multiprocessing.Array("i", 6)
    print(arr[:], list(arr))
    p = multiprocessing.Process(target=fill, args=(arr, 100))
    p.start()
    p.join()
    print(arr[:], arr[0], arr[-1], arr[1:4], arr[::2], sum(arr))
    arr[0] = -5
    arr[1:3] = [7, 8]
    print(arr[:3])

    b = multiprocessing.Value("b", 100)
    b.value = 200
    print(b.value)
    f = multiprocessing.Value("f", 0.1)
    print(round(f.value, 6), f.value == 0.1)
    q = multiprocessing.Value("q", 2 ** 62)
    print(q.value)
    raw = multiprocessing.RawArray("h", [1, 2, 3])
    raw[2] = 70000
    print(raw[:], len(raw))
    try:
        arr[6] = 1
    except IndexError as e:
        print("IndexError:", e)
    try:
        arr[0] = 1.5
    except TypeError as e:
        print("TypeError")
