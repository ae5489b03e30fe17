# UnboundLocalError: a local read before its assignment.
count = 10
def bump():
    count += 1
    return count
print("count", count)
bump()
