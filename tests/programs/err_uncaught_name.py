# NameError for a misspelled name inside a function.
def compute(n):
    result = n * 2
    return reslut
print("before")
compute(4)
