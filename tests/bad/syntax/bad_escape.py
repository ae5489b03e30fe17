# expect-exit: 65
# expect-stderr: SyntaxError: (unicode error) 'unicodeescape' codec can't dec
x = "abc\xZZ"
