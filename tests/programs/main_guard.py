# if __name__ == "__main__": and module-level names.
def helper(x):
    return x * 2
VALUE = helper(21)
def main():
    print("in main, VALUE =", VALUE)
    print("__name__ is", __name__)
    return 0
if __name__ == "__main__":
    main()
    print("guard passed")
else:
    print("imported")
if __name__ != "__main__":
    print("never")
print(__name__ == "__main__")
