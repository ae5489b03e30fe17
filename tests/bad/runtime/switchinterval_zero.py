# expect-exit: 70
# expect-stderr: ValueError: switch interval must be strictly positive
import sys
sys.setswitchinterval(0)
