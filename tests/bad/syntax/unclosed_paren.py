# expect-exit: 65
# expect-stderr: SyntaxError
# expect-stderr-re: :\d+:\d+: SyntaxError
total = (1 +
         2 +
         3
print(total)
