# expect-exit: 65
# expect-stderr: SyntaxError: (unicode error) 'utf-8' codec can't decode byte
x = "À¯"
