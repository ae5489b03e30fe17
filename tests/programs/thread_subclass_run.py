# Subclassing Thread and overriding run(); start() calls run() in the new thread.
import threading


class Summer(threading.Thread):
    def __init__(self, numbers, name):
        super().__init__(name=name)
        self.numbers = numbers
        self.total = None
        self.ran_in = None

    def run(self):
        self.ran_in = threading.current_thread().name
        total = 0
        for n in self.numbers:
            total += n
        self.total = total


class Child(Summer):
    def run(self):
        super().run()
        self.total *= 2


workers = [Summer(range(10), "s0"), Summer(range(100), "s1"), Child([1, 2, 3], "c0")]
for w in workers:
    w.start()
for w in workers:
    w.join()
for w in workers:
    print(w.name, w.total, w.ran_in, w.is_alive(), isinstance(w, threading.Thread))

# run() called directly runs in the calling thread
direct = Summer([5, 5], "direct")
direct.run()
print(direct.total, direct.ran_in)

# start() twice is an error
try:
    workers[0].start()
except RuntimeError as e:
    print("RuntimeError:", e)
