# expect-exit: 65
# expect-stderr: SyntaxError: unterminated triple-quoted string literal
x = """abc

