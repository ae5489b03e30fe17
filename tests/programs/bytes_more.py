# bytes: more methods, hex, comparisons, round trips through non-ASCII text.
data = "Grüße, 世界".encode("utf-8")
print(len(data), data[:6], data.decode("utf-8")[::-1])
print(b"abc".hex(), bytes.fromhex("41 42 43"), b"\x00\xff".hex())
print(b"a-b-c".replace(b"-", b"+"), b"xxabxx".strip(b"x"), b"a b".split())
print(b"abc".endswith(b"bc"), b"abcabc".count(b"bc"), b"abc".index(b"c"))
print(b"abc"[1:2] == b"b", b"abc"[1] == 98, bytes(b"copy"))
chunks = [b"GET ", b"/index", b" HTTP/1.0\r\n"]
req = b"".join(chunks)
print(req, len(req), req.split(b" ")[1].decode())
print(sorted([b"b", b"a", b"ab"]), max(b"zebra"), min(b"zebra"))
try:
    b"\xff\xfe".decode("utf-8")
except UnicodeDecodeError:
    print("UnicodeDecodeError")
except ValueError:
    print("ValueError")
