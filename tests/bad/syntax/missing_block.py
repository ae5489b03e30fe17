# expect-exit: 65
# expect-stderr-re: :7:\d+: (SyntaxError|IndentationError)
# expect-stderr-re: [Ii]ndent
def f():
    return 1
for i in range(3):
print(i)
