/*
 * numbers.c -- the numeric types' constructors and methods (int, float,
 * bool, range, object), and BaseException's methods.
 *
 * ints are int64: whatever leaves that range raises OverflowError with
 * NUM_OVERFLOW_MSG instead of growing.  Error messages are CPython 3.11's.
 */
#include "vm.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int num_nkw(const ObjTuple *kw) { return kw ? (int)kw->len : 0; }

/* "float expected at most 1 argument, got 2" and friends. */
static bool num_check(Thread *t, const char *name, int argc, ObjTuple *kw, int nmax)
{
    if (num_nkw(kw) > 0) {
        vm_raise(t, EXC_TypeError, "%s() takes no keyword arguments", name);
        return false;
    }
    if (argc > nmax) {
        vm_raise(t, EXC_TypeError, "%s expected at most %d argument%s, got %d", name, nmax,
                 nmax == 1 ? "" : "s", argc);
        return false;
    }
    return true;
}

/* "int.bit_length() takes no arguments (1 given)" */
static bool num_noargs(Thread *t, const char *name, int argc, ObjTuple *kw)
{
    if (num_nkw(kw) > 0) {
        vm_raise(t, EXC_TypeError, "%s() takes no keyword arguments", name);
        return false;
    }
    if (argc != 0) {
        vm_raise(t, EXC_TypeError, "%s() takes no arguments (%d given)", name, argc);
        return false;
    }
    return true;
}

Value num_int_from_double(Thread *t, double d)
{
    if (isinf(d))
        return vm_raise(t, EXC_OverflowError, "cannot convert float infinity to integer");
    if (isnan(d))
        return vm_raise(t, EXC_ValueError, "cannot convert float NaN to integer");
    d = trunc(d);
    /* 2**63 is exact as a double; every double below it converts. */
    if (d >= 9223372036854775808.0 || d < -9223372036854775808.0)
        return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
    return val_int((int64_t)d);
}

/* Calls v's own special method `name` if its class defines one: a new
 * reference, VAL_ERR with an exception, or VAL_ERR without one if absent. */
static Value num_call_dunder(Thread *t, Value v, const char *name)
{
    ObjStr *s = str_intern_cstr(t->vm, name);
    if (!IS_OBJ(v) || !vm_class_lookup(AS_OBJ(v)->cls, s))
        return VAL_ERR;
    return vm_call_method(t, v, s, 0, NULL);
}

/* ---- int ------------------------------------------------------------------ */

static int num_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

static bool num_isspace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* s[0..n) equals the lowercase word w, ignoring ASCII case. */
static bool num_eq_nocase(const char *s, const char *w, int n)
{
    for (int i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != w[i])
            return false;
    return true;
}

/* Parses s[0..len) as Python's int(s, base) does: surrounding whitespace,
 * a sign, a 0x/0o/0b prefix (base 0 or the matching base), single
 * underscores between digits (and after a prefix); base 0 refuses leading
 * zeros of a nonzero decimal.  Returns 0 ok, -1 invalid literal, 1 too
 * large for int64. */
static int num_parse_int(const char *s, int64_t len, int base, int64_t *out)
{
    const char *p = s, *end = s + len;
    while (p < end && num_isspace((unsigned char)*p))
        p++;
    while (end > p && num_isspace((unsigned char)end[-1]))
        end--;
    bool neg = false;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    bool prefixed = false;
    if (end - p >= 2 && p[0] == '0') {
        int c = tolower((unsigned char)p[1]);
        int pb = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
        if (pb && (base == 0 || base == pb)) {
            base = pb;
            p += 2;
            prefixed = true;
        }
    }
    bool base0 = base == 0;
    if (base0)
        base = 10;
    if (p == end)
        return -1;
    uint64_t acc = 0;
    bool overflow = false, nonzero = false, leading_zero = false;
    int ndigits = 0;
    bool prev_us = prefixed;    /* an underscore may follow a prefix */
    bool allow_us = prefixed;
    for (; p < end; p++) {
        if (*p == '_') {
            if (!allow_us)
                return -1;
            allow_us = false;
            prev_us = true;
            continue;
        }
        int d = num_digit((unsigned char)*p);
        if (d >= base)
            return -1;
        if (ndigits == 0 && d == 0)
            leading_zero = true;
        if (d)
            nonzero = true;
        ndigits++;
        allow_us = true;
        prev_us = false;
        if (acc > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            overflow = true;
        else
            acc = acc * (uint64_t)base + (uint64_t)d;
    }
    if (prev_us && ndigits > 0)
        return -1;              /* trailing underscore */
    if (ndigits == 0)
        return -1;
    if (base0 && !prefixed && leading_zero && nonzero)
        return -1;
    if (overflow || acc > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX))
        return 1;
    *out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    return 0;
}

/* int(s, base) for a str or bytes value. */
static Value num_int_from_text(Thread *t, Value v, int base)
{
    const char *s;
    int64_t len;
    if (IS_STR(v)) {
        s = AS_STR(v)->chars;
        len = AS_STR(v)->len;
    } else {
        s = (const char *)AS_BYTES(v)->data;
        len = AS_BYTES(v)->len;
    }
    int64_t out;
    int r = (int64_t)strlen(s) == len ? num_parse_int(s, len, base, &out) : -1;
    if (r == 0)
        return val_int(out);
    if (r > 0)
        return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
    ObjStr *rep = IS_STR(v) ? str_repr(t->vm, AS_STR(v)) : bytes_repr(t->vm, AS_BYTES(v));
    vm_raise(t, EXC_ValueError, "invalid literal for int() with base %d: %s", base, rep->chars);
    obj_decref((Obj *)rep);
    return VAL_ERR;
}

Value int_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"", "base"};
    Value a[2];
    if (!arg_parse(t, "int", argc, argv, kw, names, 0, 2, a))
        return VAL_ERR;
    Value x = a[0];
    if (!IS_ERR(a[1])) {
        int64_t base;
        if (!vm_to_index(t, a[1], &base))
            return VAL_ERR;
        if (IS_ERR(x))
            return vm_raise(t, EXC_TypeError, "int() missing string argument");
        if (!IS_STR(x) && !IS_BYTES(x))
            return vm_raise(t, EXC_TypeError, "int() can't convert non-string with explicit base");
        if (base != 0 && (base < 2 || base > 36))
            return vm_raise(t, EXC_ValueError, "int() base must be >= 2 and <= 36, or 0");
        return num_int_from_text(t, x, (int)base);
    }
    if (IS_ERR(x))
        return val_int(0);
    if (IS_INTLIKE(x))
        return val_int(x.as.i);
    if (IS_FLOAT(x))
        return num_int_from_double(t, x.as.f);
    if (IS_STR(x) || IS_BYTES(x))
        return num_int_from_text(t, x, 10);
    static const char *const hooks[] = {"__int__", "__index__", "__trunc__"};
    for (int i = 0; i < 3; i++) {
        Value r = num_call_dunder(t, x, hooks[i]);
        if (!IS_ERR(r) && !IS_INTLIKE(r)) {
            vm_raise(t, EXC_TypeError, "%s returned non-int (type %s)", hooks[i],
                     vm_type_name(t->vm, r));
            val_decref(r);
            return VAL_ERR;
        }
        if (!IS_ERR(r))
            return val_int(r.as.i);
        if (!IS_ERR(t->exc))
            return VAL_ERR;
    }
    return vm_raise(t, EXC_TypeError, "int() argument must be a string, a bytes-like object "
                    "or a real number, not '%s'", vm_type_name(t->vm, x));
}

/* int.bit_length(): bits of |self| without sign and leading zeros. */
static Value int_bit_length(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "int.bit_length", argc, kw))
        return VAL_ERR;
    uint64_t m = self.as.i < 0 ? (uint64_t)0 - (uint64_t)self.as.i : (uint64_t)self.as.i;
    return val_int(m ? 64 - __builtin_clzll(m) : 0);
}

static Value int_bit_count(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "int.bit_count", argc, kw))
        return VAL_ERR;
    uint64_t m = self.as.i < 0 ? (uint64_t)0 - (uint64_t)self.as.i : (uint64_t)self.as.i;
    return val_int(__builtin_popcountll(m));
}

/* int.__index__, __int__, conjugate: the int itself (a bool becomes an int). */
static Value int_self(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "int.__index__", argc, kw))
        return VAL_ERR;
    return val_int(self.as.i);
}

static Value int_float(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "int.__float__", argc, kw))
        return VAL_ERR;
    return val_float((double)self.as.i);
}

/* int.to_bytes(length=1, byteorder='big', *, signed=False) */
static Value int_to_bytes(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"length", "byteorder", "signed"};
    Value a[3];
    if (!arg_parse(t, "to_bytes", argc, argv, kw, names, 0, 3, a))
        return VAL_ERR;
    int64_t length = 1;
    if (!IS_ERR(a[0]) && !vm_to_index(t, a[0], &length))
        return VAL_ERR;
    if (length < 0)
        return vm_raise(t, EXC_ValueError, "length argument must be non-negative");
    bool little = false;
    if (!IS_ERR(a[1])) {
        if (!IS_STR(a[1]))
            return vm_raise(t, EXC_TypeError, "to_bytes() argument 'byteorder' must be str, not %s",
                            vm_type_name(t->vm, a[1]));
        const char *bo = AS_STR(a[1])->chars;
        if (strcmp(bo, "little") == 0)
            little = true;
        else if (strcmp(bo, "big") != 0)
            return vm_raise(t, EXC_ValueError, "byteorder must be either 'little' or 'big'");
    }
    int sgn = 0;
    if (!IS_ERR(a[2]) && (sgn = vm_truthy(t, a[2])) < 0)
        return VAL_ERR;
    int64_t v = self.as.i;
    if (v < 0 && !sgn)
        return vm_raise(t, EXC_OverflowError, "can't convert negative int to unsigned");
    /* the bytes needed: enough that the value (and, if signed, its sign bit) fits */
    int64_t need = 0;
    if (sgn) {
        while (need < 8) {
            int64_t lo = need == 0 ? 0 : -((int64_t)1 << (8 * need - 1));
            int64_t hi = need == 0 ? 0 : ((int64_t)1 << (8 * need - 1)) - 1;
            if (v >= lo && v <= hi)
                break;
            need++;
        }
    } else {
        for (uint64_t m = (uint64_t)v; m; m >>= 8)
            need++;
    }
    if (need > length)
        return vm_raise(t, EXC_OverflowError, "int too big to convert");
    unsigned char *buf = mem_alloc((size_t)length + 1);
    for (int64_t i = 0; i < length; i++) {
        unsigned char byte = i < 8 ? (unsigned char)((uint64_t)v >> (8 * i)) : (v < 0 ? 0xFF : 0);
        buf[little ? i : length - 1 - i] = byte;
    }
    ObjBytes *b = bytes_new(t->vm, buf, length);
    mem_free(buf);
    return val_obj((Obj *)b);
}

const NativeDef int_methods[] = {
    {"bit_length", int_bit_length},
    {"bit_count", int_bit_count},
    {"to_bytes", int_to_bytes},
    {"conjugate", int_self},
    {"__index__", int_self},
    {"__int__", int_self},
    {"__float__", int_float},
    {NULL, NULL},
};

/* ---- float ------------------------------------------------------------------ */

/* Checks s[0..len) against Python's float grammar (digits with single
 * underscores between them, optional fraction and exponent, or inf /
 * infinity / nan, with a sign) and converts it.  false if invalid. */
static bool num_parse_float(const char *s, int64_t len, double *out)
{
    const char *p = s, *end = s + len;
    while (p < end && num_isspace((unsigned char)*p))
        p++;
    while (end > p && num_isspace((unsigned char)end[-1]))
        end--;
    char *clean = mem_alloc((size_t)(end - p) + 1);
    int64_t n = 0;
    const char *q = p;
    bool neg = q < end && *q == '-';
    if (q < end && (*q == '+' || *q == '-'))
        clean[n++] = *q++;
    int64_t rest = end - q;
    bool ok = false;
    if ((rest == 3 && num_eq_nocase(q, "inf", 3)) || (rest == 8 && num_eq_nocase(q, "infinity", 8))
        || (rest == 3 && num_eq_nocase(q, "nan", 3))) {
        double v = tolower((unsigned char)q[0]) == 'n' ? NAN : INFINITY;
        *out = neg ? -v : v;
        mem_free(clean);
        return true;
    }
    /* mantissa: digits [. digits] | . digits ; underscores only between digits */
    int intd = 0, fracd = 0;
    bool prev_digit = false;
    while (q < end && (isdigit((unsigned char)*q) || *q == '_')) {
        if (*q == '_') {
            if (!prev_digit || q + 1 >= end || !isdigit((unsigned char)q[1]))
                goto done;
            prev_digit = false;
        } else {
            clean[n++] = *q;
            intd++;
            prev_digit = true;
        }
        q++;
    }
    if (q < end && *q == '.') {
        clean[n++] = *q++;
        prev_digit = false;
        while (q < end && (isdigit((unsigned char)*q) || *q == '_')) {
            if (*q == '_') {
                if (!prev_digit || q + 1 >= end || !isdigit((unsigned char)q[1]))
                    goto done;
                prev_digit = false;
            } else {
                clean[n++] = *q;
                fracd++;
                prev_digit = true;
            }
            q++;
        }
    }
    if (intd + fracd == 0)
        goto done;
    if (q < end && (*q == 'e' || *q == 'E')) {
        clean[n++] = *q++;
        if (q < end && (*q == '+' || *q == '-'))
            clean[n++] = *q++;
        int expd = 0;
        prev_digit = false;
        while (q < end && (isdigit((unsigned char)*q) || *q == '_')) {
            if (*q == '_') {
                if (!prev_digit || q + 1 >= end || !isdigit((unsigned char)q[1]))
                    goto done;
                prev_digit = false;
            } else {
                clean[n++] = *q;
                expd++;
                prev_digit = true;
            }
            q++;
        }
        if (expd == 0)
            goto done;
    }
    if (q != end)
        goto done;
    clean[n] = '\0';
    *out = strtod(clean, NULL);
    ok = true;
done:
    mem_free(clean);
    return ok;
}

Value float_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!num_check(t, "float", argc, kw, 1))
        return VAL_ERR;
    if (argc == 0)
        return val_float(0.0);
    Value x = argv[0];
    if (IS_FLOAT(x))
        return x;
    if (IS_INTLIKE(x))
        return val_float((double)x.as.i);
    if (IS_STR(x) || IS_BYTES(x)) {
        const char *s = IS_STR(x) ? AS_STR(x)->chars : (const char *)AS_BYTES(x)->data;
        int64_t len = IS_STR(x) ? AS_STR(x)->len : AS_BYTES(x)->len;
        double d;
        if ((int64_t)strlen(s) == len && num_parse_float(s, len, &d))
            return val_float(d);
        ObjStr *rep = IS_STR(x) ? str_repr(t->vm, AS_STR(x)) : bytes_repr(t->vm, AS_BYTES(x));
        vm_raise(t, EXC_ValueError, "could not convert string to float: %s", rep->chars);
        obj_decref((Obj *)rep);
        return VAL_ERR;
    }
    static const char *const hooks[] = {"__float__", "__index__"};
    for (int i = 0; i < 2; i++) {
        Value r = num_call_dunder(t, x, hooks[i]);
        if (IS_FLOAT(r) || (i == 1 && IS_INTLIKE(r)))
            return IS_FLOAT(r) ? r : val_float((double)r.as.i);
        if (!IS_ERR(r)) {
            vm_raise(t, EXC_TypeError, "%s returned non-%s (type %s)", hooks[i],
                     i == 0 ? "float" : "int", vm_type_name(t->vm, r));
            val_decref(r);
            return VAL_ERR;
        }
        if (!IS_ERR(t->exc))
            return VAL_ERR;
    }
    return vm_raise(t, EXC_TypeError, "float() argument must be a string or a real number, "
                    "not '%s'", vm_type_name(t->vm, x));
}

static Value float_is_integer(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "float.is_integer", argc, kw))
        return VAL_ERR;
    double d = self.as.f;
    return val_bool(isfinite(d) && d == floor(d));
}

/* float.hex(): '0x1.8000000000000p+1', as CPython prints it (13 hex digits). */
static Value float_hex(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "float.hex", argc, kw))
        return VAL_ERR;
    double d = self.as.f;
    char buf[64];
    if (isnan(d))
        snprintf(buf, sizeof buf, "nan");
    else if (isinf(d))
        snprintf(buf, sizeof buf, d < 0 ? "-inf" : "inf");
    else if (d == 0.0)
        snprintf(buf, sizeof buf, signbit(d) ? "-0x0.0p+0" : "0x0.0p+0");
    else
        snprintf(buf, sizeof buf, "%.13a", d);
    return val_obj((Obj *)str_from_cstr(t->vm, buf));
}

static Value float_self(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "float.__float__", argc, kw))
        return VAL_ERR;
    return self;
}

static Value float_int(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "float.__int__", argc, kw))
        return VAL_ERR;
    return num_int_from_double(t, self.as.f);
}

/* float.as_integer_ratio(): the exact fraction, in lowest terms. */
static Value float_as_integer_ratio(Thread *t, Value self, int argc, const Value *argv,
                                    ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "float.as_integer_ratio", argc, kw))
        return VAL_ERR;
    double d = self.as.f;
    if (isinf(d))
        return vm_raise(t, EXC_OverflowError, "cannot convert Infinity to integer ratio");
    if (isnan(d))
        return vm_raise(t, EXC_ValueError, "cannot convert NaN to integer ratio");
    int e;
    double m = frexp(d, &e);     /* d = m * 2**e, 0.5 <= |m| < 1 */
    for (int i = 0; i < 300 && m != floor(m); i++) {
        m *= 2.0;
        e--;
    }
    /* d = m * 2**e with m an integer */
    if (fabs(m) >= 9223372036854775808.0)
        return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
    int64_t num = (int64_t)m, den = 1;
    if (e > 0) {
        for (; e > 0; e--)
            if (__builtin_mul_overflow(num, 2, &num))
                return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
    } else {
        for (; e < 0 && (num & 1) == 0 && num != 0; e++)
            num /= 2;
        if (-e > 62)
            return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
        den = (int64_t)1 << -e;
    }
    ObjTuple *tup = tuple_new(t->vm, 2);
    tup->items[0] = val_int(num);
    tup->items[1] = val_int(den);
    return val_obj((Obj *)tup);
}

const NativeDef float_methods[] = {
    {"is_integer", float_is_integer},
    {"hex", float_hex},
    {"as_integer_ratio", float_as_integer_ratio},
    {"conjugate", float_self},
    {"__float__", float_self},
    {"__int__", float_int},
    {"__trunc__", float_int},
    {NULL, NULL},
};

/* ---- bool, range, object ------------------------------------------------------ */

Value bool_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!num_check(t, "bool", argc, kw, 1))
        return VAL_ERR;
    if (argc == 0)
        return VAL_FALSE;
    int r = vm_truthy(t, argv[0]);
    return r < 0 ? VAL_ERR : val_bool(r);
}

Value range_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (num_nkw(kw) > 0)
        return vm_raise(t, EXC_TypeError, "range() takes no keyword arguments");
    if (argc == 0)
        return vm_raise(t, EXC_TypeError, "range expected at least 1 argument, got 0");
    if (argc > 3)
        return vm_raise(t, EXC_TypeError, "range expected at most 3 arguments, got %d", argc);
    int64_t v[3] = {0, 0, 1};
    for (int i = 0; i < argc; i++)
        if (!vm_to_index(t, argv[i], &v[i]))
            return VAL_ERR;
    int64_t start = 0, stop = v[0], step = 1;
    if (argc >= 2) {
        start = v[0];
        stop = v[1];
    }
    if (argc == 3) {
        step = v[2];
        if (step == 0)
            return vm_raise(t, EXC_ValueError, "range() arg 3 must not be zero");
    }
    Vm *vm = t->vm;
    ObjRange *r = (ObjRange *)obj_alloc(vm, sizeof(ObjRange), OBJ_RANGE, vm->types[TY_RANGE]);
    r->start = start;
    r->stop = stop;
    r->step = step;
    return val_obj((Obj *)r);
}

/* object(): a bare instance.  User classes are made by the VM itself; this
 * only serves object() and classes whose instances need no __init__. */
Value object_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ObjClass *cls = IS_CLASS(self) ? AS_CLASS(self) : t->vm->types[TY_OBJECT];
    if (argc > 0 || num_nkw(kw) > 0)
        return vm_raise(t, EXC_TypeError, "%s() takes no arguments", cls->name->chars);
    obj_incref(&cls->obj);      /* an instance's class is a counted reference */
    ObjInstance *o = (ObjInstance *)obj_alloc(t->vm, sizeof(ObjInstance), OBJ_INSTANCE, cls);
    o->dict = dict_new(t->vm);
    return val_obj((Obj *)o);
}

/* ---- BaseException ---------------------------------------------------------------- */

/* The args tuple of an exception instance (borrowed), or NULL if unset. */
static Value num_exc_args(Thread *t, Value self)
{
    if (!IS_INSTANCE(self) || !AS_INSTANCE(self)->dict)
        return VAL_ERR;
    Value *slot = dict_find_str(AS_INSTANCE(self)->dict, t->vm->s_args);
    return slot ? *slot : VAL_ERR;
}

static bool num_exc_check(Thread *t, Value self, const char *method)
{
    if (IS_INSTANCE(self) && AS_INSTANCE(self)->dict)
        return true;
    vm_raise(t, EXC_TypeError, "descriptor '%s' requires a 'BaseException' object but "
             "received a '%s'", method, vm_type_name(t->vm, self));
    return false;
}

/* BaseException.__init__(self, *args): self.args = args. */
static Value exc_init(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    if (!num_exc_check(t, self, "__init__"))
        return VAL_ERR;
    if (num_nkw(kw) > 0)
        return vm_raise(t, EXC_TypeError, "%s() takes no keyword arguments",
                        AS_OBJ(self)->cls->name->chars);
    ObjTuple *args = tuple_new(t->vm, argc);
    for (int i = 0; i < argc; i++)
        args->items[i] = val_dup(argv[i]);
    dict_set_str(t->vm, AS_INSTANCE(self)->dict, t->vm->s_args, val_obj((Obj *)args));
    obj_decref((Obj *)args);
    return VAL_NONE;
}

/* str(e): '' with no args, str(arg) with one, str(args) with several. */
static Value exc_str(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "BaseException.__str__", argc, kw) || !num_exc_check(t, self, "__str__"))
        return VAL_ERR;
    Value args = num_exc_args(t, self);
    if (IS_ERR(args) || (IS_TUPLE(args) && AS_TUPLE(args)->len == 0))
        return val_obj((Obj *)str_intern_cstr(t->vm, ""));
    if (IS_TUPLE(args) && AS_TUPLE(args)->len == 1)
        return vm_str(t, AS_TUPLE(args)->items[0]);
    return vm_str(t, args);
}

/* repr(e): ValueError(), ValueError('x'), ValueError(1, 2). */
static Value exc_repr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!num_noargs(t, "BaseException.__repr__", argc, kw) || !num_exc_check(t, self, "__repr__"))
        return VAL_ERR;
    StrBuf sb;
    sb_init(&sb);
    sb_puts(&sb, AS_OBJ(self)->cls->name->chars);
    Value args = num_exc_args(t, self);
    if (IS_TUPLE(args)) {
        sb_putc(&sb, '(');
        for (int64_t i = 0; i < AS_TUPLE(args)->len; i++) {
            Value r = vm_repr(t, AS_TUPLE(args)->items[i]);
            if (IS_ERR(r)) {
                sb_fini(&sb);
                return VAL_ERR;
            }
            if (i > 0)
                sb_puts(&sb, ", ");
            sb_append(&sb, AS_STR(r)->chars, AS_STR(r)->len);
            val_decref(r);
        }
        sb_putc(&sb, ')');
    } else if (!IS_ERR(args)) {
        Value r = vm_repr(t, args);
        if (IS_ERR(r)) {
            sb_fini(&sb);
            return VAL_ERR;
        }
        sb_append(&sb, AS_STR(r)->chars, AS_STR(r)->len);
        val_decref(r);
    } else {
        sb_puts(&sb, "()");
    }
    return val_obj((Obj *)sb_to_str(t->vm, &sb));
}

const NativeDef exc_methods[] = {
    {"__init__", exc_init},
    {"__str__", exc_str},
    {"__repr__", exc_repr},
    {NULL, NULL},
};

/* KeyError's str is the repr of its key, so that a missing '' reads ''. */
static Value keyerror_str(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    if (!num_noargs(t, "KeyError.__str__", argc, kw) || !num_exc_check(t, self, "__str__"))
        return VAL_ERR;
    Value args = num_exc_args(t, self);
    if (IS_TUPLE(args) && AS_TUPLE(args)->len == 1)
        return vm_repr(t, AS_TUPLE(args)->items[0]);
    return exc_str(t, self, argc, argv, kw);
}

const NativeDef keyerror_methods[] = {
    {"__str__", keyerror_str},
    {NULL, NULL},
};
