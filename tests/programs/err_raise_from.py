# An exception raised from another escapes: CPython prints both; the last line names the outer one.
class ConfigError(Exception):
    pass
def load(text):
    try:
        return int(text)
    except ValueError as e:
        raise ConfigError("bad number: " + text) from e
print(load("12"))
print(load("twelve"))
