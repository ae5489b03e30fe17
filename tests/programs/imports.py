# import and from-import of the built-in modules time, os, sys, math.
import time
import os
import sys
import math
from math import sqrt, pi
from time import perf_counter as pc
import math as m
print(math.sqrt(16), sqrt(2), round(pi, 5), m.floor(2.7), math.ceil(2.1))
print(math.floor(-2.5), math.ceil(-2.5), math.fabs(-3), math.pow(2, 10))
print(round(math.e, 6), math.log(1), round(math.log(math.e), 6), math.exp(0))
print(round(math.sin(0), 6), round(math.cos(0), 6))
print(math.inf > 1e308, math.floor(7) == 7, int(math.sqrt(49)))
t0 = time.perf_counter()
t1 = pc()
print(t1 >= t0, isinstance(t0, float))
m0 = time.monotonic()
time.sleep(0.02)
m1 = time.monotonic()
print(0.015 < m1 - m0 < 2.0)
print(time.time() > 1600000000)
print(os.getpid() > 0, os.getpid() == os.getpid(), os.cpu_count() >= 1)
print(isinstance(sys.argv, list), len(sys.argv), sys.argv[0].endswith("imports.py"))
print(isinstance(sys.getswitchinterval(), float))
def uses_module():
    import math
    return math.sqrt(81)
print(uses_module())
