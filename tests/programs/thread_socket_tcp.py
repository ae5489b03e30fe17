# TCP on 127.0.0.1 with an ephemeral port: a server thread accepts clients.
import socket
import threading

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(5)
host, port = srv.getsockname()
print(host, type(port).__name__, 0 < port < 65536)
served = []


def serve(count):
    for _ in range(count):
        conn, addr = srv.accept()
        with conn:
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(100)
                if not chunk:
                    break
                data += chunk
            served.append((addr[0], data))
            conn.sendall(b"echo:" + data)


t = threading.Thread(target=serve, args=(3,))
t.start()
replies = []
for i in range(3):
    with socket.socket() as c:
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.connect(("127.0.0.1", port))
        peer = c.getpeername()
        c.sendall(("message %d\n" % i).encode())
        reply = b""
        while True:
            chunk = c.recv(100)
            if not chunk:
                break
            reply += chunk
        replies.append((peer == (host, port), reply))
t.join()
srv.close()
for r in replies:
    print(r)
for s in served:
    print(s)

# nobody listens on a closed port: connection refused
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
free_port = probe.getsockname()[1]
probe.close()
c = socket.socket()
try:
    c.connect(("127.0.0.1", free_port))
except ConnectionRefusedError:
    print("ConnectionRefusedError")
c.close()
