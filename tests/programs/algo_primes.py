# Sieve of Eratosthenes, trial division, prime factorisation.
def sieve(n):
    is_p = [True] * (n + 1)
    is_p[0] = is_p[1] = False
    i = 2
    while i * i <= n:
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = False
        i += 1
    return [i for i in range(n + 1) if is_p[i]]
ps = sieve(10000)
print(len(ps), ps[:15], ps[-3:], sum(ps))
def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True
print(all(is_prime(p) for p in ps[:200]), [n for n in range(90, 110) if is_prime(n)])
def factor(n):
    out = []
    d = 2
    while d * d <= n:
        while n % d == 0:
            out.append(d)
            n //= d
        d += 1
    if n > 1:
        out.append(n)
    return out
for n in [2, 12, 97, 360, 1001, 65536, 999999, 600851475143]:
    print(n, factor(n))
twins = [(p, p + 2) for p in ps if p + 2 in set(ps[:200]) and p < 200]
print(twins)
