# expect-exit: 65
# expect-stderr: SyntaxError
# expect-stderr-re: :4:\d+: SyntaxError
x = 1 ? 2 : 3
