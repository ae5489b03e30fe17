# expect-exit: 70
# expect-stderr: Empty
import queue
q = queue.Queue()
q.get(timeout=0.05)
