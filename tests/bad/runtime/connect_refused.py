# expect-exit: 70
# expect-stderr: ConnectionRefusedError: [Errno 111] Connection refused
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", 1))
