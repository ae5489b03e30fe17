/*
 * math.c -- the math module.
 *
 * Errors follow CPython's math_1: a NaN from a non-NaN argument is
 * "math domain error" (ValueError); an infinity from a finite argument is
 * "math range error" (OverflowError) for functions that can overflow, a
 * domain error otherwise (log(0)).  Integer results (floor, ceil,
 * factorial, gcd, ...) are int64 and raise OverflowError beyond it.
 */
#include "vm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MATH_PI 3.141592653589793238462643383279502884
#define MATH_E  2.718281828459045235360287471352662498

static int math_nkw(const ObjTuple *kw) { return kw ? (int)kw->len : 0; }

/* "math.sqrt() takes exactly one argument (0 given)" */
static bool math_one(Thread *t, const char *name, int argc, ObjTuple *kw)
{
    if (math_nkw(kw) > 0) {
        vm_raise(t, EXC_TypeError, "math.%s() takes no keyword arguments", name);
        return false;
    }
    if (argc != 1) {
        vm_raise(t, EXC_TypeError, "math.%s() takes exactly one argument (%d given)", name, argc);
        return false;
    }
    return true;
}

/* "atan2 expected 2 arguments, got 1" */
static bool math_two(Thread *t, const char *name, int argc, ObjTuple *kw)
{
    if (math_nkw(kw) > 0) {
        vm_raise(t, EXC_TypeError, "math.%s() takes no keyword arguments", name);
        return false;
    }
    if (argc != 2) {
        vm_raise(t, EXC_TypeError, "%s expected 2 arguments, got %d", name, argc);
        return false;
    }
    return true;
}

/* A float from an int, bool, float or an object with __float__; false with
 * "must be real number, not str" otherwise. */
static bool math_real(Thread *t, Value v, double *out)
{
    if (IS_FLOAT(v)) {
        *out = v.as.f;
        return true;
    }
    if (IS_INTLIKE(v)) {
        *out = (double)v.as.i;
        return true;
    }
    ObjStr *name = str_intern_cstr(t->vm, "__float__");
    if (IS_OBJ(v) && vm_class_lookup(AS_OBJ(v)->cls, name)) {
        Value r = vm_call_method(t, v, name, 0, NULL);
        if (IS_ERR(r))
            return false;
        if (IS_FLOAT(r)) {
            *out = r.as.f;
            return true;
        }
        vm_raise(t, EXC_TypeError, "%s.__float__ returned non-float (type %s)",
                 vm_type_name(t->vm, v), vm_type_name(t->vm, r));
        val_decref(r);
        return false;
    }
    vm_raise(t, EXC_TypeError, "must be real number, not %s", vm_type_name(t->vm, v));
    return false;
}

/* The CPython math_1 check of r = f(x). */
static Value math_result(Thread *t, double x, double r, bool can_overflow)
{
    if (isnan(r) && !isnan(x))
        return vm_raise(t, EXC_ValueError, "math domain error");
    if (isinf(r) && isfinite(x)) {
        if (can_overflow)
            return vm_raise(t, EXC_OverflowError, "math range error");
        return vm_raise(t, EXC_ValueError, "math domain error");
    }
    return val_float(r);
}

#define MATH_1(name, cfn, can_overflow)                                               \
    static Value math_##name(Thread *t, Value self, int argc, const Value *argv,      \
                             ObjTuple *kw)                                            \
    {                                                                                 \
        (void)self;                                                                   \
        double x;                                                                     \
        if (!math_one(t, #name, argc, kw) || !math_real(t, argv[0], &x))              \
            return VAL_ERR;                                                           \
        return math_result(t, x, cfn(x), can_overflow);                               \
    }

static double math_deg(double x) { return x * (180.0 / MATH_PI); }
static double math_rad(double x) { return x * (MATH_PI / 180.0); }

MATH_1(sqrt, sqrt, false)
MATH_1(exp, exp, true)
MATH_1(expm1, expm1, true)
MATH_1(log2, log2, false)
MATH_1(log10, log10, false)
MATH_1(log1p, log1p, false)
MATH_1(sin, sin, false)
MATH_1(cos, cos, false)
MATH_1(tan, tan, false)
MATH_1(asin, asin, false)
MATH_1(acos, acos, false)
MATH_1(atan, atan, false)
MATH_1(sinh, sinh, true)
MATH_1(cosh, cosh, true)
MATH_1(tanh, tanh, false)
MATH_1(asinh, asinh, false)
MATH_1(acosh, acosh, false)
MATH_1(atanh, atanh, false)
MATH_1(fabs, fabs, false)
MATH_1(erf, erf, false)
MATH_1(erfc, erfc, false)
MATH_1(degrees, math_deg, true)
MATH_1(radians, math_rad, false)

/* log(x[, base]) */
static Value math_log(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (math_nkw(kw) > 0)
        return vm_raise(t, EXC_TypeError, "math.log() takes no keyword arguments");
    if (argc < 1 || argc > 2)
        return vm_raise(t, EXC_TypeError, "math.log requires 1 to 2 arguments");
    double x, b = 0;
    if (!math_real(t, argv[0], &x) || (argc == 2 && !math_real(t, argv[1], &b)))
        return VAL_ERR;
    Value num = math_result(t, x, log(x), false);
    if (IS_ERR(num) || argc == 1)
        return num;
    Value den = math_result(t, b, log(b), false);
    if (IS_ERR(den))
        return VAL_ERR;
    if (den.as.f == 0.0)
        return vm_raise(t, EXC_ZeroDivisionError, "float division by zero");
    return val_float(num.as.f / den.as.f);
}

static Value math_pow(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    double x, y;
    if (!math_two(t, "pow", argc, kw) || !math_real(t, argv[0], &x) || !math_real(t, argv[1], &y))
        return VAL_ERR;
    double r = pow(x, y);
    if (isfinite(x) && isfinite(y)) {
        if (isnan(r))
            return vm_raise(t, EXC_ValueError, "math domain error");
        if (isinf(r)) {
            if (x == 0.0)
                return vm_raise(t, EXC_ValueError, "math domain error");
            return vm_raise(t, EXC_OverflowError, "math range error");
        }
    }
    return val_float(r);
}

static Value math_atan2(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    double y, x;
    if (!math_two(t, "atan2", argc, kw) || !math_real(t, argv[0], &y) || !math_real(t, argv[1], &x))
        return VAL_ERR;
    return val_float(atan2(y, x));
}

static Value math_copysign(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    double x, y;
    if (!math_two(t, "copysign", argc, kw) || !math_real(t, argv[0], &x)
        || !math_real(t, argv[1], &y))
        return VAL_ERR;
    return val_float(copysign(x, y));
}

static Value math_fmod(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    double x, y;
    if (!math_two(t, "fmod", argc, kw) || !math_real(t, argv[0], &x) || !math_real(t, argv[1], &y))
        return VAL_ERR;
    if (isinf(y) && isfinite(x))
        return val_float(x);
    double r = fmod(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y))
        return vm_raise(t, EXC_ValueError, "math domain error");
    return val_float(r);
}

/* hypot(*coordinates) */
static Value math_hypot(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (math_nkw(kw) > 0)
        return vm_raise(t, EXC_TypeError, "math.hypot() takes no keyword arguments");
    double r = 0.0;
    bool inf = false;
    for (int i = 0; i < argc; i++) {
        double x;
        if (!math_real(t, argv[i], &x))
            return VAL_ERR;
        if (isinf(x))
            inf = true;
        r = hypot(r, x);
    }
    return val_float(inf ? INFINITY : r);
}

/* floor/ceil/trunc: ints unchanged; floats to int; others through their
 * __floor__/__ceil__/__trunc__, or (floor, ceil) their __float__. */
static Value math_to_int(Thread *t, const char *name, int argc, const Value *argv, ObjTuple *kw,
                         double (*fn)(double), const char *dunder)
{
    if (!math_one(t, name, argc, kw))
        return VAL_ERR;
    Value v = argv[0];
    if (IS_INTLIKE(v))
        return val_int(v.as.i);
    if (IS_FLOAT(v))
        return num_int_from_double(t, fn(v.as.f));
    ObjStr *m = str_intern_cstr(t->vm, dunder);
    if (IS_OBJ(v) && vm_class_lookup(AS_OBJ(v)->cls, m))
        return vm_call_method(t, v, m, 0, NULL);
    if (strcmp(name, "trunc") == 0)
        return vm_raise(t, EXC_TypeError, "type %s doesn't define __trunc__ method",
                        vm_type_name(t->vm, v));
    double x;
    if (!math_real(t, v, &x))
        return VAL_ERR;
    return num_int_from_double(t, fn(x));
}

static Value math_floor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return math_to_int(t, "floor", argc, argv, kw, floor, "__floor__");
}

static Value math_ceil(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return math_to_int(t, "ceil", argc, argv, kw, ceil, "__ceil__");
}

static Value math_trunc(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return math_to_int(t, "trunc", argc, argv, kw, trunc, "__trunc__");
}

static Value math_modf(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    double x, ip;
    if (!math_one(t, "modf", argc, kw) || !math_real(t, argv[0], &x))
        return VAL_ERR;
    double fp = isinf(x) ? copysign(0.0, x) : modf(x, &ip);
    if (isinf(x))
        ip = x;
    ObjTuple *tup = tuple_new(t->vm, 2);
    tup->items[0] = val_float(fp);
    tup->items[1] = val_float(ip);
    return val_obj((Obj *)tup);
}

static Value math_frexp(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    double x;
    if (!math_one(t, "frexp", argc, kw) || !math_real(t, argv[0], &x))
        return VAL_ERR;
    int e = 0;
    double m = isfinite(x) ? frexp(x, &e) : x;
    ObjTuple *tup = tuple_new(t->vm, 2);
    tup->items[0] = val_float(m);
    tup->items[1] = val_int(e);
    return val_obj((Obj *)tup);
}

static Value math_ldexp(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    double x;
    int64_t e;
    if (!math_two(t, "ldexp", argc, kw) || !math_real(t, argv[0], &x))
        return VAL_ERR;
    if (!IS_INTLIKE(argv[1]))
        return vm_raise(t, EXC_TypeError, "Expected an int as second argument to ldexp.");
    e = argv[1].as.i;
    if (e > 100000)
        e = 100000;
    if (e < -100000)
        e = -100000;
    double r = ldexp(x, (int)e);
    if (isinf(r) && isfinite(x))
        return vm_raise(t, EXC_OverflowError, "math range error");
    return val_float(r);
}

/* ---- predicates ------------------------------------------------------------- */

#define MATH_PRED(name, cfn)                                                          \
    static Value math_##name(Thread *t, Value self, int argc, const Value *argv,      \
                             ObjTuple *kw)                                            \
    {                                                                                 \
        (void)self;                                                                   \
        double x;                                                                     \
        if (!math_one(t, #name, argc, kw) || !math_real(t, argv[0], &x))              \
            return VAL_ERR;                                                           \
        return val_bool(cfn(x));                                                      \
    }

MATH_PRED(isnan, isnan)
MATH_PRED(isinf, isinf)
MATH_PRED(isfinite, isfinite)

/* isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0) */
static Value math_isclose(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"a", "b", "rel_tol", "abs_tol"};
    Value a[4];
    if (!arg_parse(t, "isclose", argc, argv, kw, names, 2, 4, a))
        return VAL_ERR;
    double x, y, rel = 1e-9, abs_tol = 0.0;
    if (!math_real(t, a[0], &x) || !math_real(t, a[1], &y)
        || (!IS_ERR(a[2]) && !math_real(t, a[2], &rel))
        || (!IS_ERR(a[3]) && !math_real(t, a[3], &abs_tol)))
        return VAL_ERR;
    if (rel < 0.0 || abs_tol < 0.0)
        return vm_raise(t, EXC_ValueError, "tolerances must be non-negative");
    if (x == y)
        return VAL_TRUE;
    if (isinf(x) || isinf(y))
        return VAL_FALSE;
    double diff = fabs(y - x);
    return val_bool((diff <= fabs(rel * y)) || (diff <= fabs(rel * x)) || diff <= abs_tol);
}

/* ---- integer functions -------------------------------------------------------- */

static bool math_index(Thread *t, Value v, int64_t *out)
{
    if (IS_INTLIKE(v)) {
        *out = v.as.i;
        return true;
    }
    return vm_to_index(t, v, out);
}

static uint64_t math_ugcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}

static uint64_t math_uabs(int64_t i) { return i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i; }

static Value math_gcd(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (math_nkw(kw) > 0)
        return vm_raise(t, EXC_TypeError, "math.gcd() takes no keyword arguments");
    uint64_t g = 0;
    for (int i = 0; i < argc; i++) {
        int64_t v;
        if (!math_index(t, argv[i], &v))
            return VAL_ERR;
        g = math_ugcd(g, math_uabs(v));
    }
    if (g > (uint64_t)INT64_MAX)
        return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
    return val_int((int64_t)g);
}

static Value math_lcm(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (math_nkw(kw) > 0)
        return vm_raise(t, EXC_TypeError, "math.lcm() takes no keyword arguments");
    uint64_t l = 1;
    for (int i = 0; i < argc; i++) {
        int64_t v;
        if (!math_index(t, argv[i], &v))
            return VAL_ERR;
        uint64_t a = math_uabs(v);
        if (a == 0 || l == 0) {
            l = 0;
            continue;
        }
        uint64_t r;
        if (__builtin_mul_overflow(l / math_ugcd(l, a), a, &r) || r > (uint64_t)INT64_MAX)
            return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
        l = r;
    }
    return val_int((int64_t)l);
}

static Value math_factorial(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int64_t n;
    if (!math_one(t, "factorial", argc, kw) || !math_index(t, argv[0], &n))
        return VAL_ERR;
    if (n < 0)
        return vm_raise(t, EXC_ValueError, "factorial() not defined for negative values");
    if (n > 20)
        return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
    int64_t r = 1;
    for (int64_t i = 2; i <= n; i++)
        r *= i;
    return val_int(r);
}

static Value math_isqrt(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int64_t n;
    if (!math_one(t, "isqrt", argc, kw) || !math_index(t, argv[0], &n))
        return VAL_ERR;
    if (n < 0)
        return vm_raise(t, EXC_ValueError, "isqrt() argument must be nonnegative");
    uint64_t r = (uint64_t)sqrt((double)n);
    while (r * r > (uint64_t)n)
        r--;
    while ((r + 1) * (r + 1) <= (uint64_t)n)
        r++;
    return val_int((int64_t)r);
}

/* comb(n, k) and perm(n, k): products kept exact in 128 bits. */
static Value math_combperm(Thread *t, const char *name, int argc, const Value *argv,
                           ObjTuple *kw, bool comb)
{
    if (math_nkw(kw) > 0)
        return vm_raise(t, EXC_TypeError, "math.%s() takes no keyword arguments", name);
    if (argc < (comb ? 2 : 1) || argc > 2) {
        if (comb)
            return vm_raise(t, EXC_TypeError, "comb expected 2 arguments, got %d", argc);
        return vm_raise(t, EXC_TypeError, "perm expected at %s %d argument%s, got %d",
                        argc < 1 ? "least" : "most", argc < 1 ? 1 : 2, argc < 1 ? "" : "s", argc);
    }
    int64_t n, k;
    if (!math_index(t, argv[0], &n))
        return VAL_ERR;
    if (argc == 2 && !IS_NONE(argv[1])) {
        if (!math_index(t, argv[1], &k))
            return VAL_ERR;
    } else {
        k = n;
    }
    if (n < 0)
        return vm_raise(t, EXC_ValueError, "n must be a non-negative integer");
    if (k < 0)
        return vm_raise(t, EXC_ValueError, "k must be a non-negative integer");
    if (k > n)
        return val_int(0);
    if (comb && k > n - k)
        k = n - k;
    unsigned __int128 r = 1;
    for (int64_t i = 0; i < k; i++) {
        r *= (unsigned __int128)(n - i);
        if (comb)
            r /= (unsigned __int128)(i + 1);
        if (r > (unsigned __int128)INT64_MAX)
            return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
    }
    return val_int((int64_t)r);
}

static Value math_comb(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return math_combperm(t, "comb", argc, argv, kw, true);
}

static Value math_perm(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return math_combperm(t, "perm", argc, argv, kw, false);
}

/* ---- sums and products -------------------------------------------------------- */

/* prod(iterable, *, start=1) */
static Value math_prod(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int nkw = math_nkw(kw);
    Value start = val_int(1);
    for (int i = 0; i < nkw; i++) {
        if (strcmp(AS_STR(kw->items[i])->chars, "start") != 0)
            return vm_raise(t, EXC_TypeError, "prod() got an unexpected keyword argument '%s'",
                            AS_STR(kw->items[i])->chars);
        start = argv[argc - nkw + i];
    }
    if (argc - nkw != 1)
        return vm_raise(t, EXC_TypeError, "prod() takes exactly 1 positional argument (%d given)",
                        argc - nkw);
    Value it = vm_iter(t, argv[0]);
    if (IS_ERR(it))
        return VAL_ERR;
    Value acc = val_dup(start);
    for (;;) {
        Value item = vm_next(t, it);
        if (IS_ERR(item)) {
            val_decref(it);
            if (!IS_ERR(t->exc)) {
                val_decref(acc);
                return VAL_ERR;
            }
            return acc;
        }
        Value r = vm_binop(t, BINOP_MUL, acc, item);
        val_decref(item);
        val_decref(acc);
        acc = r;
        if (IS_ERR(acc)) {
            val_decref(it);
            return VAL_ERR;
        }
    }
}

/* fsum(iterable): Shewchuk's exact summation, as CPython's math.fsum. */
static Value math_fsum(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!math_one(t, "fsum", argc, kw))
        return VAL_ERR;
    Value it = vm_iter(t, argv[0]);
    if (IS_ERR(it))
        return VAL_ERR;
    int64_t n = 0, cap = 32;
    double *p = mem_alloc(sizeof(double) * (size_t)cap);
    double special = 0.0, inf_sum = 0.0;
    Value result = VAL_ERR;
    for (;;) {
        Value item = vm_next(t, it);
        if (IS_ERR(item)) {
            if (!IS_ERR(t->exc))
                goto out;
            break;
        }
        double x;
        bool ok = math_real(t, item, &x);
        val_decref(item);
        if (!ok)
            goto out;
        double xsave = x;
        int64_t i = 0;
        for (int64_t j = 0; j < n; j++) {
            double y = p[j];
            if (fabs(x) < fabs(y)) {
                double tmp = x;
                x = y;
                y = tmp;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0)
                p[i++] = lo;
            x = hi;
        }
        n = i;
        if (x != 0.0) {
            if (!isfinite(x)) {
                if (isfinite(xsave)) {
                    vm_raise(t, EXC_OverflowError, "intermediate overflow in fsum");
                    goto out;
                }
                if (isinf(xsave))
                    inf_sum += xsave;
                special += xsave;
                n = 0;
            } else {
                if (n == cap) {
                    cap *= 2;
                    p = mem_realloc(p, sizeof(double) * (size_t)cap);
                }
                p[n++] = x;
            }
        }
    }
    if (special != 0.0) {
        if (isnan(inf_sum))
            vm_raise(t, EXC_ValueError, "-inf + inf in fsum");
        else
            result = val_float(special);
        goto out;
    }
    double hi = 0.0;
    if (n > 0) {
        double lo = 0.0;
        hi = p[--n];
        while (n > 0) {
            double x = hi, y = p[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0)
                break;
        }
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr)
                hi = x;
        }
    }
    result = val_float(hi);
out:
    mem_free(p);
    val_decref(it);
    return result;
}

/* ---- the module ------------------------------------------------------------------- */

static void math_init(Thread *t, ObjModule *m)
{
    Vm *vm = t->vm;
    dict_set_str(vm, m->dict, str_intern_cstr(vm, "pi"), val_float(MATH_PI));
    dict_set_str(vm, m->dict, str_intern_cstr(vm, "e"), val_float(MATH_E));
    dict_set_str(vm, m->dict, str_intern_cstr(vm, "tau"), val_float(2.0 * MATH_PI));
    dict_set_str(vm, m->dict, str_intern_cstr(vm, "inf"), val_float(INFINITY));
    dict_set_str(vm, m->dict, str_intern_cstr(vm, "nan"), val_float(NAN));
}

static const NativeDef math_functions[] = {
    {"sqrt", math_sqrt},
    {"exp", math_exp},
    {"expm1", math_expm1},
    {"log", math_log},
    {"log2", math_log2},
    {"log10", math_log10},
    {"log1p", math_log1p},
    {"pow", math_pow},
    {"sin", math_sin},
    {"cos", math_cos},
    {"tan", math_tan},
    {"asin", math_asin},
    {"acos", math_acos},
    {"atan", math_atan},
    {"atan2", math_atan2},
    {"sinh", math_sinh},
    {"cosh", math_cosh},
    {"tanh", math_tanh},
    {"asinh", math_asinh},
    {"acosh", math_acosh},
    {"atanh", math_atanh},
    {"erf", math_erf},
    {"erfc", math_erfc},
    {"hypot", math_hypot},
    {"degrees", math_degrees},
    {"radians", math_radians},
    {"fabs", math_fabs},
    {"copysign", math_copysign},
    {"fmod", math_fmod},
    {"modf", math_modf},
    {"frexp", math_frexp},
    {"ldexp", math_ldexp},
    {"floor", math_floor},
    {"ceil", math_ceil},
    {"trunc", math_trunc},
    {"isnan", math_isnan},
    {"isinf", math_isinf},
    {"isfinite", math_isfinite},
    {"isclose", math_isclose},
    {"gcd", math_gcd},
    {"lcm", math_lcm},
    {"factorial", math_factorial},
    {"isqrt", math_isqrt},
    {"comb", math_comb},
    {"perm", math_perm},
    {"prod", math_prod},
    {"fsum", math_fsum},
    {NULL, NULL},
};

const ModuleDef mod_math = {"math", math_functions, math_init};
