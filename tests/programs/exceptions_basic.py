# try / except / else / finally with built-in exceptions.
def divide(a, b):
    try:
        r = a / b
    except ZeroDivisionError:
        print("  cannot divide", a, "by zero")
        return None
    else:
        print("  ok", r)
        return r
    finally:
        print("  finally for", a, b)
print(divide(6, 3))
print(divide(1, 0))
tests = [
    lambda: [1, 2][5],
    lambda: {"a": 1}["b"],
    lambda: int("xyz"),
    lambda: 1 // 0,
    lambda: 5 % 0,
    lambda: "a" + 1,
    lambda: undefined_name,
    lambda: None.attribute,
    lambda: (1, 2).append(3),
    lambda: [].pop(),
    lambda: 1.0 / 0,
    lambda: int(None),
]
for t in tests:
    try:
        t()
        print("no error")
    except IndexError as e:
        print("IndexError", e)
    except KeyError as e:
        print("KeyError", e)
    except ValueError as e:
        print("ValueError", e)
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
    except TypeError:
        print("TypeError")
    except NameError as e:
        print("NameError", e)
    except AttributeError:
        print("AttributeError")
try:
    raise ValueError("custom message", 42)
except ValueError as e:
    print(e.args, len(e.args), e.args[1])
try:
    raise KeyError("missing")
except LookupError as e:
    print("caught via base class:", repr(e), str(e))
try:
    try:
        1 / 0
    except ZeroDivisionError:
        print("inner handler")
        raise
except ZeroDivisionError as e:
    print("outer got re-raised:", e)
try:
    pass
except Exception:
    print("never")
else:
    print("else runs when nothing raised")
finally:
    print("finally always")
for exc in (IndexError, KeyError, ZeroDivisionError):
    try:
        raise exc
    except (IndexError, KeyError) as e:
        print("tuple handler", repr(e))
    except Exception as e:
        print("generic handler", repr(e))
