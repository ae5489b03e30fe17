# expect-exit: 70
# expect-stderr: ValueError: sleep length must be non-negative
import time
time.sleep(-1)
