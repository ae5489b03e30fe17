# Traceback frames through a lambda, a method, a nested function and a property.
class Table:
    def __init__(self, rows):
        self.rows = rows
    @property
    def widest(self):
        return max(self.rows, key=lambda r: len(r[1]))
    def report(self):
        def fmt(row):
            return "%s=%s" % (row[0], row[1])
        return [fmt(r) for r in sorted(self.rows)]
t = Table([("a", "xx"), ("b", "y")])
print(t.report())
print(t.widest)
t.rows.append(("c", None))
print(t.widest)
