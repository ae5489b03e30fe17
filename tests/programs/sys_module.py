# sys: argv, switch interval, recursion limit.
import sys
print(isinstance(sys.argv, list), len(sys.argv) >= 1)
print(sys.getswitchinterval())
sys.setswitchinterval(0.001)
print(sys.getswitchinterval())
sys.setswitchinterval(0.005)
print(sys.getswitchinterval())
print(sys.getrecursionlimit() >= 100)
sys.setrecursionlimit(200)
def depth(n):
    try:
        return depth(n + 1)
    except RecursionError:
        return n
print(150 < depth(0) < 200)
sys.setrecursionlimit(1000)
print(sys.getrecursionlimit())
