# CRLF line endings and no newline at the end of the file.
x = 1
if x:
    print("crlf", x)
total = (1 +
         2)
print("end", total)