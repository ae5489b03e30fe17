# expect-exit: 65
# expect-stderr: SyntaxError: name 'x' is assigned to prior to global declara
def f():
    global x
    x = 1
    global x
x = 2
def g(x):
    global x
