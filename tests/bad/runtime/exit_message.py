# expect-exit: 1
# expect-stderr: bad input
import sys
sys.exit("bad input")
