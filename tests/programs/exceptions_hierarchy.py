# The built-in exception hierarchy and catching by base class.
pairs = [
    (ZeroDivisionError, ArithmeticError), (OverflowError, ArithmeticError),
    (KeyError, LookupError), (IndexError, LookupError), (LookupError, Exception),
    (ValueError, Exception), (TypeError, Exception), (RecursionError, RuntimeError),
    (NotImplementedError, RuntimeError), (UnboundLocalError, NameError),
    (StopIteration, Exception), (AssertionError, Exception), (Exception, BaseException),
    (KeyError, IndexError), (ValueError, TypeError), (AttributeError, Exception),
    (FileNotFoundError, OSError), (KeyboardInterrupt, Exception), (SystemExit, BaseException),
]
for sub, base in pairs:
    print(sub.__name__, base.__name__, issubclass(sub, base))
def trigger(kind):
    if kind == 0:
        return 1 // 0
    if kind == 1:
        return [][1]
    if kind == 2:
        return {}["x"]
    if kind == 3:
        raise NotImplementedError("todo")
    return int("?")
for k in range(5):
    try:
        trigger(k)
    except ArithmeticError as e:
        print(k, "ArithmeticError", repr(e))
    except LookupError as e:
        print(k, "LookupError", repr(e))
    except RuntimeError as e:
        print(k, "RuntimeError", repr(e))
    except Exception as e:
        print(k, "Exception", repr(e))
try:
    raise KeyError("k")
except (ValueError, LookupError) as e:
    print("tuple catch", isinstance(e, KeyError), isinstance(e, LookupError), isinstance(e, ValueError))
