# finally blocks run while an uncaught exception propagates.
def inner():
    try:
        print("inner body")
        raise ValueError("from inner")
    finally:
        print("inner finally")
def outer():
    try:
        inner()
    finally:
        print("outer finally")
outer()
