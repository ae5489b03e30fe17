# Socket timeouts and modes: settimeout/gettimeout/setblocking, socket.timeout
# is TimeoutError, with-statement closing, and errors after close.
import socket
import threading
import time

a, b = socket.socketpair()
print(a.gettimeout(), a.getblocking())
a.settimeout(0.05)
print(a.gettimeout(), a.getblocking())
start = time.monotonic()
try:
    a.recv(10)
except socket.timeout as e:
    print("timeout:", e, type(e).__name__, time.monotonic() - start >= 0.04)
print(socket.timeout is TimeoutError, issubclass(socket.timeout, OSError), socket.error is OSError)

a.setblocking(False)
print(a.gettimeout(), a.getblocking())
try:
    a.recv(10)
except BlockingIOError:
    print("BlockingIOError")
a.setblocking(True)
print(a.gettimeout())
for bad in [-1, -0.5]:
    try:
        a.settimeout(bad)
    except ValueError as e:
        print("ValueError:", e)


# data sent later by another thread arrives within the timeout
def later():
    time.sleep(0.05)
    b.sendall(b"late")


a.settimeout(5)
t = threading.Thread(target=later)
t.start()
print(a.recv(10))
t.join()

# the with statement closes; a closed socket raises OSError (EBADF)
with a:
    print("open:", a.fileno() >= 0)
print("closed:", a.fileno())
try:
    a.send(b"x")
except OSError as e:
    print(type(e).__name__, e)
a.close()
print(b.recv(10))
try:
    b.send(b"x")
except BrokenPipeError:
    print("BrokenPipeError")
b.close()

try:
    socket.socket().bind(("127.0.0.1", 70000))
except OverflowError as e:
    print("OverflowError:", e)
try:
    a, b = socket.socketpair()
    a.send("text")
except TypeError as e:
    print("TypeError:", e)
