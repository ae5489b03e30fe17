# expect-exit: 65
# expect-stderr: IndentationError: unexpected indent
  x = 1
