# countdown 10M: `while n > 0: n -= 1`, the loop of Beazley's GIL talks.
def count(n):
    while n > 0:
        n -= 1
    return n
N = 10000000
print(count(N), N)
