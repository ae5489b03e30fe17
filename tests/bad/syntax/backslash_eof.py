# expect-exit: 65
# expect-stderr: SyntaxError: unterminated string literal
x = "abc\