# finally interacting with return, break, continue and exceptions.
def ret_in_try():
    try:
        return "try"
    finally:
        print("  finally runs before return")
print(ret_in_try())
def finally_overrides():
    try:
        return "try"
    finally:
        return "finally"
print(finally_overrides())
def finally_swallows():
    try:
        raise ValueError("lost")
    finally:
        return "swallowed"
print(finally_swallows())
for i in range(5):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        print("body", i)
    finally:
        print("finally", i)
def nested():
    log = []
    try:
        try:
            log.append("inner try")
            raise KeyError("k")
        except IndexError:
            log.append("wrong handler")
        finally:
            log.append("inner finally")
    except KeyError as e:
        log.append("outer caught " + repr(e))
    finally:
        log.append("outer finally")
    return log
print(nested())
def counter_loop():
    n = 0
    while True:
        try:
            n += 1
            if n < 3:
                continue
            return n
        finally:
            print("  loop finally n =", n)
print(counter_loop())
def reraise():
    try:
        int("bad")
    except ValueError:
        print("  logging and re-raising")
        raise
try:
    reraise()
except ValueError as e:
    print("caller got:", e)
def exc_in_handler():
    try:
        1 / 0
    except ZeroDivisionError:
        raise RuntimeError("handler failed")
try:
    exc_in_handler()
except RuntimeError as e:
    print("RuntimeError:", e)
x = 0
try:
    x = 1
finally:
    print(x + 10)
