# expect-exit: 70
# expect-stderr: RuntimeError: cannot join current thread
import threading
threading.current_thread().join()
