# args: alpha 42 "two words" -x --flag=1
import sys
print(len(sys.argv))
print(sys.argv[1:])
print(sys.argv[0].endswith("sys_argv.py"))
for i, a in enumerate(sys.argv[1:], 1):
    print(i, repr(a))
n = int(sys.argv[2])
print(n * 2)
flags = [a for a in sys.argv if a.startswith("-")]
print(flags)
