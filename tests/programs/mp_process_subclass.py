# Subclassing Process and overriding run(); the default names follow the
# class name as in CPython ("Squarer-1").
import multiprocessing


class Squarer(multiprocessing.Process):
    def __init__(self, q, n):
        multiprocessing.Process.__init__(self)
        self.q = q
        self.n = n

    def run(self):
        me = multiprocessing.current_process()
        self.q.put((self.n, self.n * self.n, me.name, me is self))


class Named(multiprocessing.Process):
    def run(self):
        print("named child says", self.name)


if __name__ == "__main__":
    q = multiprocessing.Queue()
    workers = [Squarer(q, n) for n in (3, 4, 5)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(sorted([q.get() for w in workers]))
    print([w.exitcode for w in workers])
    n = Named(name="custom")
    n.start()
    n.join()
    print(n.name, n.exitcode)
    print(multiprocessing.current_process().name)
