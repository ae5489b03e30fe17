# expect-exit: 65
# expect-stderr: SyntaxError
# expect-stderr-re: :\d+:\d+: SyntaxError
x = 1
doc = """starts here
and never
ends
