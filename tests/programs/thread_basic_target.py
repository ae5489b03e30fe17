# Thread with target, args and kwargs; results gathered and printed in order.
import threading

results = {}


def work(key, base, scale=1, offset=0):
    total = 0
    for i in range(base):
        total += i * scale
    results[key] = total + offset


threads = []
for k in range(5):
    t = threading.Thread(target=work, args=(k, 100 * (k + 1)), kwargs={"scale": k, "offset": 7})
    threads.append(t)
for t in threads:
    t.start()
for t in threads:
    t.join()
for k in sorted(results):
    print(k, results[k])

# a target with no arguments, and a Thread without a target: run() does nothing
flag = []
t = threading.Thread(target=lambda: flag.append("ran"))
t.start()
t.join()
print(flag)
empty = threading.Thread()
empty.start()
empty.join()
print("empty thread joined", empty.is_alive())

# args may be a list; kwargs may be omitted
out = []
t = threading.Thread(target=out.extend, args=([1, 2, 3],))
t.start()
t.join()
print(out)
