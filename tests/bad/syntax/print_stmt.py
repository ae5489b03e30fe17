# expect-exit: 65
# expect-stderr: SyntaxError: Missing parentheses in call to 'print'. Did you
print "hi"
