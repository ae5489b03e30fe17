# Custom exception classes and hierarchies.
class AppError(Exception):
    pass
class ConfigError(AppError):
    def __init__(self, key, reason="invalid"):
        super().__init__("config key %r: %s" % (key, reason))
        self.key = key
class NetworkError(AppError):
    pass
class RetryableError(NetworkError):
    def __init__(self, attempts):
        self.attempts = attempts
    def __str__(self):
        return "gave up after %d attempts" % self.attempts
def load(key):
    if key == "port":
        raise ConfigError(key, "must be an int")
    if key == "net":
        raise RetryableError(3)
    if key == "plain":
        raise AppError("plain failure")
    return "value of " + key
for key in ["host", "port", "net", "plain"]:
    try:
        print(load(key))
    except ConfigError as e:
        print("ConfigError:", e, "| key:", e.key, "| args:", e.args)
    except NetworkError as e:
        print("NetworkError subclass:", e, e.attempts)
    except AppError as e:
        print("AppError:", e, repr(e))
print(issubclass(RetryableError, AppError), issubclass(ConfigError, NetworkError))
print(isinstance(ConfigError("k"), Exception), isinstance(AppError(), BaseException))
e = AppError("a", "b")
print(e.args, str(e), repr(e))
print(str(AppError()), repr(AppError()), str(AppError("only")), repr(ValueError("v")))
class ValidationError(ValueError):
    pass
try:
    raise ValidationError("bad value")
except ValueError as err:
    print("caught as ValueError:", err, isinstance(err, ValidationError))
errors = []
for v in ["1", "x", "3", "", "5"]:
    try:
        if not v:
            raise ValidationError("empty")
        errors.append(int(v))
    except ValidationError as err:
        errors.append("E:" + str(err))
    except ValueError:
        errors.append("V")
print(errors)
