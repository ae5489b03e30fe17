# An uncaught instance of a user-defined exception class.
class GilError(Exception):
    pass
class LockTimeout(GilError):
    def __init__(self, ms):
        super().__init__("waited %d ms for the lock" % ms)
def acquire(ms):
    if ms > 5:
        raise LockTimeout(ms)
    return True
for ms in (1, 3, 9):
    print("acquire", ms, acquire(ms))
