# sys.setswitchinterval/getswitchinterval, os.getpid, os.cpu_count.
import os
import sys
import threading

default = sys.getswitchinterval()
print("default switch interval:", default)
sys.setswitchinterval(0.001)
print(sys.getswitchinterval())
sys.setswitchinterval(0.02)
print(sys.getswitchinterval())
for bad in [0, -1.0]:
    try:
        sys.setswitchinterval(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    sys.setswitchinterval("fast")
except TypeError as e:
    print("TypeError")
print(sys.getswitchinterval())

# threads still share the work with a short interval
sys.setswitchinterval(0.0005)
totals = []
lock = threading.Lock()


def spin(n):
    s = 0
    for i in range(n):
        s += i
    with lock:
        totals.append(s)


threads = [threading.Thread(target=spin, args=(30000,)) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(totals)
sys.setswitchinterval(default)
print(sys.getswitchinterval() == default)

pid = os.getpid()
print(type(pid).__name__, pid > 0)
seen = []
t = threading.Thread(target=lambda: seen.append(os.getpid()))
t.start()
t.join()
print("same pid in a thread:", seen == [pid])
n = os.cpu_count()
print(type(n).__name__, n >= 1)
