# expect-exit: 44
import sys
sys.exit(300)
