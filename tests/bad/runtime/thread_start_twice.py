# expect-exit: 70
# expect-stderr: RuntimeError: threads can only be started once
# expect: 
import threading
t = threading.Thread(target=print)
t.start()
t.start()
