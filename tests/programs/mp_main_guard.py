# The fork start method: a child inherits the parent's memory at start(),
# module-level code is not run again, and globals changed in a child stay
# in the child.
import multiprocessing

counter = [0]
print("module level runs once")


def child(q):
    counter[0] += 100
    q.put(("child sees", counter[0], __name__))


if __name__ == "__main__":
    counter[0] = 5
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=child, args=(q,))
    p.start()
    print(q.get())
    p.join()
    print("parent still has", counter[0])
