# An exception raised while handling another (implicit chaining).
def risky():
    try:
        return [][0]
    except IndexError:
        return {}["missing"]
print("calling")
risky()
