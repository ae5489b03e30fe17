# expect-exit: 70
# expect-stderr: RuntimeError: release unlocked lock
import threading
l = threading.Lock()
l.release()
