# if / elif / else, nested conditions, pass.
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        if n % 2 == 0:
            return "small even"
        else:
            return "small odd"
    else:
        return "large"
for n in [-5, 0, 3, 4, 10, 99]:
    print(n, classify(n))
x = 7
if x > 5: print("one-line if")
if x > 100:
    pass
else:
    print("else branch")
if x:
    if not x - 7:
        print("nested true")
grade = 83
if grade >= 90: letter = "A"
elif grade >= 80: letter = "B"
else: letter = "C"
print(letter)
if [] or {} or "":
    print("never")
elif [0]:
    print("non-empty list is true")
values = [None, 0, "", "x", [1]]
for v in values:
    if v is None:
        print("none")
    elif not v:
        print("falsy", repr(v))
    else:
        print("truthy", repr(v))
