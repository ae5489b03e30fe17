# A small class-based simulation with custom exceptions.
class InsufficientFunds(Exception):
    def __init__(self, need, have):
        super().__init__("need %d, have %d" % (need, have))
        self.need, self.have = need, have
class Account:
    next_id = 1
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.history = []
        self.id = Account.next_id
        Account.next_id += 1
    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("dep", amount))
    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(amount, self.balance)
        self.balance -= amount
        self.history.append(("wd", amount))
    def __str__(self):
        return "#%d %s: %d" % (self.id, self.owner, self.balance)
class Savings(Account):
    rate = 0.05
    def add_interest(self):
        gained = int(self.balance * self.rate)
        self.deposit(gained)
        return gained
def transfer(src, dst, amount):
    src.withdraw(amount)
    dst.deposit(amount)
a = Account("ann", 100)
b = Savings("bob", 1000)
ops = [(a, b, 50), (a, b, 80), (b, a, 500), (a, a, 0)]
for src, dst, amt in ops:
    try:
        transfer(src, dst, amt)
        print("ok", amt, str(src), str(dst))
    except InsufficientFunds as e:
        print("refused:", e, e.need - e.have)
    except ValueError as e:
        print("invalid:", e)
print(b.add_interest(), b)
print(a.history, b.history)
print([str(x) for x in sorted([a, b], key=lambda acc: acc.balance)])
