# expect-exit: 0
# expect-stderr: Exception in thread
# expect: main goes on
import threading
def f():
    raise ValueError("in a thread")
t = threading.Thread(target=f)
t.start()
t.join()
print("main goes on")
