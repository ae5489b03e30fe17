# Process.exitcode: 0 on return, the code of sys.exit, 1 after an uncaught
# exception (its traceback goes to stderr), None before it finishes.
import multiprocessing
import sys


def ok():
    pass


def leave(code):
    sys.exit(code)


def fail():
    raise ValueError("child failed")


def say():
    raise SystemExit("a message goes to stderr")


if __name__ == "__main__":
    cases = [(ok, ()), (leave, (0,)), (leave, (3,)), (leave, (None,)), (fail, ()), (say, ())]
    for fn, args in cases:
        p = multiprocessing.Process(target=fn, args=args)
        before = p.exitcode
        p.start()
        p.join()
        print(fn.__name__, args, before, p.exitcode, p.is_alive())
    p = multiprocessing.Process(target=ok)
    try:
        p.join()
    except AssertionError as e:
        print("AssertionError:", e)
    p.start()
    try:
        p.start()
    except AssertionError as e:
        print("AssertionError:", e)
    p.join()
    print("main done")
