# expect-exit: 70
# expect-stderr: ValueError: recursion limit must be greater or equal than 1
import sys
sys.setrecursionlimit(0)
