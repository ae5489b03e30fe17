# expect-exit: 70
# expect-stderr: RecursionError: maximum recursion depth exceeded
# expect: 30
import sys
sys.setrecursionlimit(50)
def f(n):
    return 0 if n == 0 else 1 + f(n - 1)
print(f(30))
print(f(60))
