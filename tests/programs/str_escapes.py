# String literal forms: escapes, raw, triple-quoted, implicit concatenation.
print("tab\there", "new\nline", "back\\slash", "quote\"s", 'single\'s')
print(len("\n"), len("\\n"), len(r"\n"), r"C:\path\to", len("\x41\u00e9"), "\x41\u00e9")
print("implicit " "concatenation " 'works')
text = """line one
  line two
line three"""
print(text)
print(len(text.splitlines()), repr(text[:9]))
t2 = '''it's "quoted"'''
print(t2)
print(repr("\t\r\n\x00\x7f"), repr("é"), repr("\\"))
print("a\
b")
long = ("part one, "
        "part two")
print(long)
print("\u03bb", "\u03b1", "\U0001F600" == "\U0001f600")
b = b"\x00\n" + rb"\n"
print(b, len(b))
print(f"tab:\t|", f"brace: {{}}", f"{'quoted'}")
