# bytes: literals, len, indexing (ints), slicing, encode/decode, concatenation.
b = b"hello\x00world\n"
print(b, len(b), b[0], b[-1], b[5])
print(b[:5], b[6:11], b[::-1], b[::2], b[-6:-1])
print(b"abc" + b"def", b"ab" * 3, b"" == bytes(), bytes(3))
print(b"ell" in b, b"xyz" in b, 104 in b)
print(b"abc" < b"abd", b"abc" == b"abc", b"a" != b"b")
s = "gilscope ✓ café"
e = s.encode("utf-8")
print(e, len(s), len(e))
print(e.decode("utf-8") == s, e.decode())
print("ascii".encode(), b"caf\xc3\xa9".decode("utf-8"))
print(bytes([65, 66, 67]), list(b"ABC"), tuple(b"hi"))
total = 0
for byte in b"\x01\x02\x03\xff":
    total += byte
print(total)
print(repr(b"'quote'"), repr(b'"dq"'), repr(b"tab\there"), repr(b"\x7f\x80"))
print(b"a,b,c".split(b","), b"-".join([b"x", b"y"]), b"  pad ".strip())
print(b"Hello".upper(), b"Hello".lower(), b"hello".startswith(b"he"), b"hello".find(b"l"))
print(bytes("xyz", "utf-8"), str(b"raw"), b.count(b"l"))
