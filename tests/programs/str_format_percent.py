# printf-style % formatting.
print("%d items" % 5)
print("%5d|%-5d|%05d|%+d|%+d" % (42, 42, 42, 42, -42))
print("%x %X %o %#x %#o" % (255, 255, 8, 255, 8))
print("%s and %s" % ("this", "that"))
print("%r %r %s" % ("q", 3, [1, "a"]))
print("%f|%.2f|%8.3f|%-8.1f|%08.2f" % (3.14159, 3.14159, 2.5, 2.5, -2.5))
print("%e|%.3e|%E" % (12345.678, 0.00012, 1e20))
print("%g|%g|%g|%g|%.3g" % (1e-5, 123456789.0, 0.5, 100.0, 3.14159))
print("100%% sure, %d%%" % 50)
print("%s" % (1, ) + "|" + "%s" % "x")
print("%5s|%-5s|%.2s" % ("ab", "ab", "abcdef"))
print("%d %i" % (3.99, -2.5))
rows = [("apple", 3, 0.5), ("banana", 12, 0.25), ("cherry", 100, 12.0)]
for name, qty, price in rows:
    print("%-8s %4d %7.2f" % (name, qty, qty * price))
print("%s" % None, "%s" % True, "%d" % True)
print("%.0f %.0f %.0f" % (0.5, 1.5, 2.5))
