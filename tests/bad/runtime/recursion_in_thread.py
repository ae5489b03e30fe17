# expect-exit: 70
# expect-stderr: RecursionError: maximum recursion depth exceeded
# expect: thread: RecursionError
import sys, threading
sys.setrecursionlimit(1000000)
def f(n):
    return f(n + 1)
def run():
    try:
        f(0)
    except RecursionError:
        print("thread: RecursionError")
t = threading.Thread(target=run)
t.start()
t.join()
f(0)
