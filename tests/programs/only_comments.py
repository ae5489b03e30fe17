# A file of nothing but comments and blank lines runs and prints nothing.

    # an indented comment is not an indent

