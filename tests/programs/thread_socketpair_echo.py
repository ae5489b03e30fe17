# An echo thread on one end of socket.socketpair(), the main thread on the other.
import socket
import threading

a, b = socket.socketpair()
print(a.family == socket.AF_UNIX, a.type == socket.SOCK_STREAM)


def recv_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def echo(sock):
    while True:
        data = sock.recv(1024)
        if not data:
            break
        sock.sendall(data.upper())
    sock.close()


t = threading.Thread(target=echo, args=(b,))
t.start()
replies = []
for word in [b"hello", b"gil", b"convoy", b"x" * 1000]:
    a.sendall(word)
    replies.append(recv_exactly(a, len(word)))
print(replies[:3], len(replies[3]), replies[3][:5])
n = a.send(b"ping")
print("send returned", n, recv_exactly(a, 4))
a.shutdown(socket.SHUT_WR)
print("after shutdown:", a.recv(10))
t.join()
a.close()
print(a.fileno())

# a large transfer: the writer blocks until the reader drains the buffer
c, d = socket.socketpair()
total = []


def reader():
    got = 0
    while True:
        chunk = d.recv(65536)
        if not chunk:
            break
        got += len(chunk)
    total.append(got)


r = threading.Thread(target=reader)
r.start()
c.sendall(b"z" * 2000000)
c.close()
r.join()
d.close()
print(total)
