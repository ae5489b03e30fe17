# raise of an exception class (no instance), uncaught, from a method.
class Machine:
    def start(self):
        print("starting")
        self.check()
    def check(self):
        raise NotImplementedError
Machine().start()
