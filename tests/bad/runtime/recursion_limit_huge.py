# expect-exit: 70
# expect-stderr: RecursionError: maximum recursion depth exceeded
import sys
sys.setrecursionlimit(1000000)
def f(n):
    return f(n + 1)
f(0)
