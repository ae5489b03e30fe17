# Worker threads drain a Queue; task_done() and join() say when all is done.
import queue
import threading

tasks = queue.Queue()
results = queue.Queue()


def worker():
    while True:
        item = tasks.get()
        if item is None:
            tasks.task_done()
            return
        results.put((item, item * item))
        tasks.task_done()


workers = [threading.Thread(target=worker) for _ in range(4)]
for w in workers:
    w.start()
for i in range(50):
    tasks.put(i)
tasks.join()
print("all tasks done, unfinished queue empty:", tasks.empty())
got = []
while not results.empty():
    got.append(results.get())
got.sort()
print(len(got), got[:3], got[-1])
print(sum(sq for _, sq in got))
for _ in workers:
    tasks.put(None)
for w in workers:
    w.join()
print("workers alive:", [w.is_alive() for w in workers])

# join() on a queue with nothing outstanding returns at once
tasks.join()
print("second join ok")

# task_done() more often than put() is an error
try:
    tasks.task_done()
except ValueError as e:
    print("ValueError:", e)
