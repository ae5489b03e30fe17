# UDP on 127.0.0.1: sendto/recvfrom between a server thread and the main thread.
import socket
import threading

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("127.0.0.1", 0))
addr = server.getsockname()
print(addr[0], addr[1] > 0)


def serve():
    while True:
        data, peer = server.recvfrom(1024)
        if data == b"quit":
            break
        server.sendto(data[::-1], peer)


t = threading.Thread(target=serve)
t.start()
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.settimeout(5)
for word in [b"abc", b"datagram", b"x"]:
    sent = client.sendto(word, addr)
    reply, frm = client.recvfrom(1024)
    print(sent, reply, frm == addr)
print("client bound:", client.getsockname()[0], client.getsockname()[1] > 0)
client.sendto(b"quit", addr)
t.join()

# a datagram longer than the buffer is truncated
client.sendto(b"0123456789", client.getsockname())
print(client.recvfrom(4)[0])
# nothing to read: the timeout fires
client.settimeout(0.05)
try:
    client.recvfrom(10)
except socket.timeout as e:
    print("timeout:", e)
client.close()
server.close()
