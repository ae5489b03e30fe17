# Exceptions inside loops: break/continue in handlers, retries, accumulating errors.
results = []
for item in ["1", "2", "x", "4", "stop", "5"]:
    try:
        if item == "stop":
            break
        results.append(int(item))
    except ValueError:
        results.append(None)
        continue
    finally:
        results.append("|")
print(results)
attempts = 0
while True:
    attempts += 1
    try:
        if attempts < 4:
            raise ConnectionError("try %d" % attempts)
        print("connected after", attempts)
        break
    except ConnectionError as e:
        print("retry:", e)
errors = {}
for i in range(-3, 4):
    try:
        v = 12 // i
        if v > 6:
            raise OverflowError("too big: %d" % v)
    except ZeroDivisionError:
        errors["zero"] = errors.get("zero", 0) + 1
    except OverflowError as e:
        errors[str(e)] = i
print(errors)
def first_bad(items):
    for i, x in enumerate(items):
        try:
            1 / x
        except ZeroDivisionError:
            return i
    return -1
print(first_bad([3, 2, 0, 1]), first_bad([1]))
count = 0
for i in range(1000):
    try:
        if i % 7 == 0:
            raise ValueError
        count += 1
    except ValueError:
        pass
print(count)
