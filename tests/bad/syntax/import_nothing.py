# expect-exit: 65
# expect-stderr: SyntaxError: invalid syntax
import
