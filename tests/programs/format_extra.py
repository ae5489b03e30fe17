# Less common formatting: thousands separators, percent, %c, %(key)s, = in f-strings.
print(f"{1234567:,} {1234567.891:,.2f} {1234567:_} {-9876543:,}")
print("{:,}".format(10000000), "{:.2%}".format(0.256), f"{0.5:.1%}")
print("%c%c%c" % ("o", "k", 33))
print("%(name)s is %(age)d" % {"name": "Ann", "age": 30})
val = 7
print(f"{val=}", f"{val*2=}")
print(f"{3.0:.0f} {2.5:.0f} {-0.0:.1f}")
print(format(42, "08b"), format(3.5, ".3f"), format("x", ">4"))
