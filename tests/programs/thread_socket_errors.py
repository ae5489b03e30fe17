# The socket module's errors and helpers, as CPython words them.
import socket

s = socket.socket()
for bad in ["x", ("x",), (1, 2), ("", 70000), ("", "a"), ("no.such.host.invalid", 1)]:
    try:
        s.bind(bad)
    except Exception as e:
        print(type(e).__name__, e)
print(issubclass(socket.gaierror, OSError))

probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
print("connect_ex refused:", s.connect_ex(("127.0.0.1", port)) != 0)
try:
    s.connect(("127.0.0.1", port))
except ConnectionRefusedError as e:
    print("ConnectionRefusedError", str(e).startswith("[Errno"))
s.close()

a, b = socket.socketpair()
try:
    b.recv(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    b.recvfrom(-1)
except ValueError as e:
    print("ValueError:", e)
for bad in ["str", 5, None]:
    try:
        b.send(bad)
    except TypeError as e:
        print("TypeError:", e)
print(b.recv(0), b.send(b""))
b.sendall(b"abc")
print(a.recvfrom(10))
print(repr(a.getsockname()), a.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM)
a.close()
a.close()
print(a.fileno())
try:
    a.getsockname()
except OSError as e:
    print("OSError:", e)
b.close()

print(socket.gethostbyname("localhost"), socket.gethostbyname("127.0.0.1"))
print(type(socket.gethostname()).__name__, len(socket.gethostname()) > 0)
print(socket.htons(1), socket.ntohs(256), socket.ntohl(socket.htonl(5)))
print(socket.inet_ntoa(socket.inet_aton("10.1.2.3")), socket.inet_aton("127.0.0.1"))
print(socket.socket, socket.error is OSError, socket.timeout is TimeoutError)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print(u.family == socket.AF_INET, u.type == socket.SOCK_DGRAM, u.proto, isinstance(u, socket.socket))
print(u.getsockname())
u.close()
with socket.socket() as c:
    print(c.gettimeout(), c.timeout)
