# An uncaught KeyError raised deep in a call chain.
config = {"host": "localhost", "port": 8080}
def get(key):
    return config[key]
def connect():
    print("host", get("host"))
    print("port", get("port"))
    return get("timeout")
def main():
    connect()
main()
