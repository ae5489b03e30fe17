# raise ... from ..., __cause__, __context__, exception objects as values.
class ParseError(Exception):
    pass
def parse(s):
    try:
        return int(s)
    except ValueError as e:
        raise ParseError("cannot parse %r" % s) from e
try:
    parse("12x")
except ParseError as e:
    print("ParseError:", e)
    print("cause:", repr(e.__cause__))
try:
    try:
        {}["k"]
    except KeyError:
        raise ValueError("during handling")
except ValueError as e:
    print("context:", repr(e.__context__))
try:
    raise RuntimeError("no cause") from None
except RuntimeError as e:
    print(e, e.__cause__)
saved = []
for i in range(3):
    try:
        if i % 2:
            raise IndexError(i)
        raise KeyError(i)
    except LookupError as e:
        saved.append(e)
print([repr(e) for e in saved], [e.args for e in saved])
err = ValueError("made, not raised")
print(err, err.args)
try:
    raise err
except ValueError as e:
    print(e is err)
def raise_class():
    raise TypeError
try:
    raise_class()
except TypeError as e:
    print("bare class raised:", repr(e), e.args)
