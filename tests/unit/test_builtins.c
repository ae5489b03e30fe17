/*
 * test_builtins.c -- the builtin functions, numeric constructors,
 * BaseException's methods and the time/os/sys/math modules, called
 * directly as natives on a fresh VM.  Expected values and messages are
 * CPython 3.11's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "vm.h"

typedef struct Fixture {
    Vm *vm;
    Thread *t;
} Fixture;

static int setup(void **state)
{
    Fixture *f = test_malloc(sizeof *f);
    f->vm = vm_new(&(VmConfig){0});
    f->t = f->vm->main;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    vm_free(f->vm);
    test_free(f);
    return 0;
}

/* ---- helpers -------------------------------------------------------------- */

static Value str_val(Fixture *f, const char *s) { return val_obj((Obj *)str_from_cstr(f->vm, s)); }

/* Calls builtin `name` with argc positional values and the names of the
 * trailing keyword values in kw (a comma-free list of C strings, NULL-ended). */
static Value call_kw(Fixture *f, const char *name, int argc, const Value *argv, int nkw,
                     const char *const *kwnames)
{
    Value *fn = dict_find_str(f->vm->builtins, str_intern_cstr(f->vm, name));
    assert_non_null(fn);
    ObjTuple *kw = NULL;
    if (nkw > 0) {
        kw = tuple_new(f->vm, nkw);
        for (int i = 0; i < nkw; i++)
            kw->items[i] = val_obj((Obj *)str_intern_cstr(f->vm, kwnames[i]));
    }
    Value r = vm_call(f->t, *fn, argc, argv, kw);
    if (kw)
        obj_decref((Obj *)kw);
    return r;
}

static Value call(Fixture *f, const char *name, int argc, const Value *argv)
{
    return call_kw(f, name, argc, argv, 0, NULL);
}

/* Calls function `name` of a module's table directly. */
static Value call_mod(Fixture *f, const ModuleDef *m, const char *name, int argc, const Value *argv)
{
    for (const NativeDef *d = m->functions; d->name; d++)
        if (strcmp(d->name, name) == 0)
            return d->fn(f->t, VAL_NONE, argc, argv, NULL);
    fail_msg("no function %s in module %s", name, m->name);
    return VAL_ERR;
}

static void check_int(Value v, int64_t want)
{
    assert_int_equal(v.kind, V_INT);
    assert_int_equal(v.as.i, want);
}

static void check_float(Value v, double want)
{
    assert_int_equal(v.kind, V_FLOAT);
    assert_true(v.as.f == want);
    assert_int_equal(signbit(v.as.f) != 0, signbit(want) != 0);
}

/* v is a str equal to want; consumes v. */
static void check_str(Value v, const char *want)
{
    assert_true(IS_STR(v));
    assert_string_equal(AS_STR(v)->chars, want);
    val_decref(v);
}

/* repr(v) equals want; consumes v. */
static void check_repr(Fixture *f, Value v, const char *want)
{
    assert_false(IS_ERR(v));
    check_str(vm_repr(f->t, v), want);
    val_decref(v);
}

/* v is VAL_ERR with an exception of class id whose str is msg; clears it. */
static void check_exc(Fixture *f, Value v, ExcId id, const char *msg)
{
    assert_true(IS_ERR(v));
    assert_false(IS_ERR(f->t->exc));
    if (!vm_exc_matches(f->t, id))
        fail_msg("wrong exception class: %s", vm_type_name(f->vm, f->t->exc));
    check_str(vm_str(f->t, f->t->exc), msg);
    vm_exc_clear(f->t);
}

/* A list of ints [a0, a1, ...] */
static Value int_list(Fixture *f, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    ObjList *l = list_new(f->vm, n);
    for (int i = 0; i < n; i++)
        list_append(l, val_int(va_arg(ap, int)));
    va_end(ap);
    return val_obj((Obj *)l);
}

/* ---- tests ----------------------------------------------------------------- */

static void test_abs_len(void **state)
{
    Fixture *f = *state;
    Value a = val_int(-5);
    check_int(call(f, "abs", 1, &a), 5);
    a = val_float(-2.5);
    check_float(call(f, "abs", 1, &a), 2.5);
    a = val_bool(true);
    check_int(call(f, "abs", 1, &a), 1);
    a = str_val(f, "abc");
    check_exc(f, call(f, "abs", 1, &a), EXC_TypeError, "bad operand type for abs(): 'str'");
    check_int(call(f, "len", 1, &a), 3);
    val_decref(a);
    check_exc(f, call(f, "len", 0, NULL), EXC_TypeError, "len() takes exactly one argument (0 given)");
    a = val_int(5);
    check_exc(f, call(f, "len", 1, &a), EXC_TypeError, "object of type 'int' has no len()");
}

static void test_round(void **state)
{
    Fixture *f = *state;
    Value a[2];
    a[0] = val_float(2.5);
    check_int(call(f, "round", 1, a), 2);
    a[0] = val_float(3.5);
    check_int(call(f, "round", 1, a), 4);
    a[0] = val_float(-0.5);
    check_int(call(f, "round", 1, a), 0);
    a[0] = val_float(-1.5);
    check_int(call(f, "round", 1, a), -2);
    a[0] = val_float(2.675);
    a[1] = val_int(2);
    check_float(call(f, "round", 2, a), 2.67);
    a[0] = val_float(0.125);
    check_float(call(f, "round", 2, a), 0.12);
    a[0] = val_float(0.375);
    check_float(call(f, "round", 2, a), 0.38);
    a[0] = val_float(150.5);
    a[1] = val_int(-2);
    check_float(call(f, "round", 2, a), 200.0);
    a[0] = val_float(250.5);
    check_float(call(f, "round", 2, a), 300.0);
    a[0] = val_float(250.0);
    check_float(call(f, "round", 2, a), 200.0);
    a[0] = val_float(-1.5);
    a[1] = val_int(-1);
    check_float(call(f, "round", 2, a), -0.0);
    a[0] = val_int(-250);
    a[1] = val_int(-2);
    check_int(call(f, "round", 2, a), -200);
    a[0] = val_int(1250);
    check_int(call(f, "round", 2, a), 1200);
    a[0] = val_int(1350);
    check_int(call(f, "round", 2, a), 1400);
    a[0] = val_int(1351);
    a[1] = val_int(-25);
    check_int(call(f, "round", 2, a), 0);
    a[0] = val_int(7);
    a[1] = val_int(3);
    check_int(call(f, "round", 2, a), 7);
    a[0] = val_float(INFINITY);
    check_exc(f, call(f, "round", 1, a), EXC_OverflowError,
              "cannot convert float infinity to integer");
    a[0] = val_float(NAN);
    check_exc(f, call(f, "round", 1, a), EXC_ValueError, "cannot convert float NaN to integer");
    a[0] = str_val(f, "x");
    check_exc(f, call(f, "round", 1, a), EXC_TypeError, "type str doesn't define __round__ method");
    val_decref(a[0]);
}

static void test_int_ctor(void **state)
{
    Fixture *f = *state;
    Thread *t = f->t;
    Value a[2];
    a[0] = str_val(f, "0x1f");
    a[1] = val_int(0);
    check_int(int_ctor(t, VAL_NONE, 2, a, NULL), 31);
    val_decref(a[0]);
    a[0] = str_val(f, "  -1_000 \n");
    check_int(int_ctor(t, VAL_NONE, 1, a, NULL), -1000);
    val_decref(a[0]);
    a[0] = str_val(f, "ff");
    a[1] = val_int(16);
    check_int(int_ctor(t, VAL_NONE, 2, a, NULL), 255);
    val_decref(a[0]);
    a[0] = str_val(f, "0b_101");
    a[1] = val_int(0);
    check_int(int_ctor(t, VAL_NONE, 2, a, NULL), 5);
    val_decref(a[0]);
    a[0] = str_val(f, "-9223372036854775808");
    check_int(int_ctor(t, VAL_NONE, 1, a, NULL), INT64_MIN);
    val_decref(a[0]);
    a[0] = str_val(f, "9223372036854775808");
    check_exc(f, int_ctor(t, VAL_NONE, 1, a, NULL), EXC_OverflowError, NUM_OVERFLOW_MSG);
    val_decref(a[0]);
    a[0] = str_val(f, "abc");
    check_exc(f, int_ctor(t, VAL_NONE, 1, a, NULL), EXC_ValueError,
              "invalid literal for int() with base 10: 'abc'");
    val_decref(a[0]);
    a[0] = str_val(f, "010");
    a[1] = val_int(0);
    check_exc(f, int_ctor(t, VAL_NONE, 2, a, NULL), EXC_ValueError,
              "invalid literal for int() with base 0: '010'");
    val_decref(a[0]);
    a[0] = str_val(f, "1__0");
    check_exc(f, int_ctor(t, VAL_NONE, 1, a, NULL), EXC_ValueError,
              "invalid literal for int() with base 10: '1__0'");
    val_decref(a[0]);
    a[0] = str_val(f, "12");
    a[1] = val_int(1);
    check_exc(f, int_ctor(t, VAL_NONE, 2, a, NULL), EXC_ValueError,
              "int() base must be >= 2 and <= 36, or 0");
    val_decref(a[0]);
    a[0] = val_float(-3.9);
    check_int(int_ctor(t, VAL_NONE, 1, a, NULL), -3);
    a[0] = val_float(INFINITY);
    check_exc(f, int_ctor(t, VAL_NONE, 1, a, NULL), EXC_OverflowError,
              "cannot convert float infinity to integer");
    a[0] = val_float(1e19);
    check_exc(f, int_ctor(t, VAL_NONE, 1, a, NULL), EXC_OverflowError, NUM_OVERFLOW_MSG);
    a[0] = val_float(1.5);
    a[1] = val_int(2);
    check_exc(f, int_ctor(t, VAL_NONE, 2, a, NULL), EXC_TypeError,
              "int() can't convert non-string with explicit base");
    a[0] = val_obj((Obj *)list_new(f->vm, 0));
    check_exc(f, int_ctor(t, VAL_NONE, 1, a, NULL), EXC_TypeError,
              "int() argument must be a string, a bytes-like object or a real number, not 'list'");
    val_decref(a[0]);
    check_int(int_ctor(t, VAL_NONE, 0, a, NULL), 0);
}

static void test_float_ctor_repr(void **state)
{
    Fixture *f = *state;
    Thread *t = f->t;
    Value a = str_val(f, "-1e5");
    check_float(float_ctor(t, VAL_NONE, 1, &a, NULL), -100000.0);
    val_decref(a);
    a = str_val(f, " 1_0.5 ");
    check_float(float_ctor(t, VAL_NONE, 1, &a, NULL), 10.5);
    val_decref(a);
    a = str_val(f, "-Infinity");
    check_float(float_ctor(t, VAL_NONE, 1, &a, NULL), -INFINITY);
    val_decref(a);
    a = str_val(f, "nan");
    Value r = float_ctor(t, VAL_NONE, 1, &a, NULL);
    assert_true(IS_FLOAT(r) && isnan(r.as.f));
    val_decref(a);
    a = str_val(f, "x");
    check_exc(f, float_ctor(t, VAL_NONE, 1, &a, NULL), EXC_ValueError,
              "could not convert string to float: 'x'");
    val_decref(a);
    a = str_val(f, "0x10");
    check_exc(f, float_ctor(t, VAL_NONE, 1, &a, NULL), EXC_ValueError,
              "could not convert string to float: '0x10'");
    val_decref(a);
    a = val_int(3);
    check_float(float_ctor(t, VAL_NONE, 1, &a, NULL), 3.0);
    check_repr(f, val_float(0.1), "0.1");
    check_repr(f, val_float(1e16), "1e+16");
    check_repr(f, val_float(2.0), "2.0");
}

static void test_minmax(void **state)
{
    Fixture *f = *state;
    static const char *const key[] = {"key"};
    static const char *const dflt[] = {"default"};
    Value a[3];
    ObjList *l = list_new(f->vm, 3);
    list_append_steal(l, str_val(f, "a"));
    list_append_steal(l, str_val(f, "ccc"));
    list_append_steal(l, str_val(f, "bb"));
    a[0] = val_obj((Obj *)l);
    a[1] = *dict_find_str(f->vm->builtins, str_intern_cstr(f->vm, "len"));
    check_str(call_kw(f, "max", 2, a, 1, key), "ccc");
    check_str(call_kw(f, "min", 2, a, 1, key), "a");
    check_str(call(f, "max", 1, a), "ccc");
    val_decref(a[0]);
    a[0] = val_int(3);
    a[1] = val_int(1);
    a[2] = val_int(2);
    check_int(call(f, "min", 3, a), 1);
    check_int(call(f, "max", 3, a), 3);
    a[0] = int_list(f, 0);
    check_exc(f, call(f, "max", 1, a), EXC_ValueError, "max() arg is an empty sequence");
    a[1] = val_int(7);
    check_int(call_kw(f, "min", 2, a, 1, dflt), 7);
    val_decref(a[0]);
    a[0] = val_int(1);
    a[1] = val_int(2);
    a[2] = val_int(3);
    check_exc(f, call_kw(f, "min", 3, a, 1, dflt), EXC_TypeError,
              "Cannot specify a default for min() with multiple positional arguments");
    check_exc(f, call(f, "min", 0, a), EXC_TypeError, "min expected at least 1 argument, got 0");
}

static void test_sum_any_all(void **state)
{
    Fixture *f = *state;
    Value a[2];
    a[0] = int_list(f, 3, 1, 2, 3);
    check_int(call(f, "sum", 1, a), 6);
    a[1] = val_float(0.5);
    check_float(call(f, "sum", 2, a), 6.5);
    Value r = call(f, "all", 1, a);
    assert_true(IS_BOOL(r) && r.as.i == 1);
    val_decref(a[0]);
    a[0] = int_list(f, 2, 0, 0);
    r = call(f, "any", 1, a);
    assert_true(IS_BOOL(r) && r.as.i == 0);
    a[1] = str_val(f, "");
    check_exc(f, call(f, "sum", 2, a), EXC_TypeError,
              "sum() can't sum strings [use ''.join(seq) instead]");
    val_decref(a[1]);
    val_decref(a[0]);
}

/* list(it) of a builtin's iterator, as its repr. */
static void check_iter_repr(Fixture *f, Value it, const char *want)
{
    assert_false(IS_ERR(it));
    ObjList *l = vm_list_from_iter(f->t, it);
    val_decref(it);
    assert_non_null(l);
    check_repr(f, val_obj((Obj *)l), want);
}

static void test_iterators(void **state)
{
    Fixture *f = *state;
    static const char *const start[] = {"start"};
    static const char *const rev[] = {"reverse"};
    Value a[3];
    a[0] = int_list(f, 3, 10, 20, 30);
    a[1] = val_int(1);
    check_iter_repr(f, call_kw(f, "enumerate", 2, a, 1, start), "[(1, 10), (2, 20), (3, 30)]");
    a[1] = int_list(f, 2, 1, 2);
    check_iter_repr(f, call(f, "zip", 2, a), "[(10, 1), (20, 2)]");
    check_iter_repr(f, call(f, "reversed", 1, a), "[30, 20, 10]");
    Value abs_fn = *dict_find_str(f->vm->builtins, str_intern_cstr(f->vm, "abs"));
    a[2] = a[1];
    a[1] = a[0];
    a[0] = abs_fn;
    check_iter_repr(f, call(f, "map", 2, a), "[10, 20, 30]");
    a[0] = VAL_NONE;
    check_iter_repr(f, call(f, "filter", 2, a), "[10, 20, 30]");
    val_decref(a[1]);
    val_decref(a[2]);
    a[0] = int_list(f, 4, 3, 1, 2, 1);
    check_repr(f, call(f, "sorted", 1, a), "[1, 1, 2, 3]");
    a[1] = VAL_TRUE;
    check_repr(f, call_kw(f, "sorted", 2, a, 1, rev), "[3, 2, 1, 1]");
    val_decref(a[0]);
    a[0] = val_int(5);
    check_exc(f, call(f, "reversed", 1, a), EXC_TypeError, "'int' object is not reversible");
    check_exc(f, call(f, "zip", 1, a), EXC_TypeError, "'int' object is not iterable");
    a[0] = str_val(f, "ab\xc3\xa9");
    check_iter_repr(f, call(f, "reversed", 1, a), "['\xc3\xa9', 'b', 'a']");
    val_decref(a[0]);
    /* reversed(range(0, 10, 3)) */
    a[0] = val_int(0);
    a[1] = val_int(10);
    a[2] = val_int(3);
    Value rng = range_ctor(f->t, VAL_NONE, 3, a, NULL);
    check_iter_repr(f, call(f, "reversed", 1, &rng), "[9, 6, 3, 0]");
    val_decref(rng);
    /* next() with a default, then StopIteration */
    a[0] = int_list(f, 1, 4);
    Value it = call(f, "iter", 1, a);
    val_decref(a[0]);
    a[0] = it;
    check_int(call(f, "next", 1, a), 4);
    a[1] = val_int(-1);
    check_int(call(f, "next", 2, a), -1);
    check_exc(f, call(f, "next", 1, a), EXC_StopIteration, "");
    val_decref(it);
}

static void test_arith(void **state)
{
    Fixture *f = *state;
    Value a[3];
    a[0] = val_int(-7);
    a[1] = val_int(2);
    check_repr(f, call(f, "divmod", 2, a), "(-4, 1)");
    a[0] = val_float(7.5);
    a[1] = val_int(-2);
    check_repr(f, call(f, "divmod", 2, a), "(-4.0, -0.5)");
    a[1] = val_int(0);
    check_exc(f, call(f, "divmod", 2, a), EXC_ZeroDivisionError, "float divmod()");
    a[0] = val_int(1);
    check_exc(f, call(f, "divmod", 2, a), EXC_ZeroDivisionError,
              "integer division or modulo by zero");
    a[0] = val_int(3);
    a[1] = val_int(4);
    a[2] = val_int(5);
    check_int(call(f, "pow", 3, a), 1);
    a[0] = val_int(2);
    a[1] = val_int(-1);
    check_int(call(f, "pow", 3, a), 3);
    a[2] = val_int(-5);
    a[1] = val_int(3);
    check_int(call(f, "pow", 3, a), -2);
    a[2] = val_int(0);
    check_exc(f, call(f, "pow", 3, a), EXC_ValueError, "pow() 3rd argument cannot be 0");
    a[2] = val_int(4);
    a[1] = val_int(-1);
    check_exc(f, call(f, "pow", 3, a), EXC_ValueError,
              "base is not invertible for the given modulus");
    a[0] = val_int(2);
    a[1] = val_int(10);
    check_int(call(f, "pow", 2, a), 1024);
}

static void test_text(void **state)
{
    Fixture *f = *state;
    Value a = val_int(-31);
    check_str(call(f, "hex", 1, &a), "-0x1f");
    a = val_int(INT64_MIN);
    check_str(call(f, "hex", 1, &a), "-0x8000000000000000");
    a = val_int(5);
    check_str(call(f, "bin", 1, &a), "0b101");
    a = val_int(8);
    check_str(call(f, "oct", 1, &a), "0o10");
    a = val_int(0x20ac);
    check_str(call(f, "chr", 1, &a), "\xe2\x82\xac");
    a = val_int(0x110000);
    check_exc(f, call(f, "chr", 1, &a), EXC_ValueError, "chr() arg not in range(0x110000)");
    a = str_val(f, "\xe2\x82\xac");
    check_int(call(f, "ord", 1, &a), 0x20ac);
    val_decref(a);
    a = str_val(f, "ab");
    check_exc(f, call(f, "ord", 1, &a), EXC_TypeError,
              "ord() expected a character, but string of length 2 found");
    check_str(call(f, "repr", 1, &a), "'ab'");
    val_decref(a);
    a = val_float(1.5);
    check_exc(f, call(f, "hex", 1, &a), EXC_TypeError,
              "'float' object cannot be interpreted as an integer");
}

static void test_isinstance_attrs(void **state)
{
    Fixture *f = *state;
    Vm *vm = f->vm;
    Value a[3];
    a[0] = VAL_TRUE;
    a[1] = val_obj((Obj *)vm->types[TY_INT]);
    Value r = call(f, "isinstance", 2, a);
    assert_true(IS_BOOL(r) && r.as.i == 1);
    ObjTuple *tup = tuple_pack(vm, 2, val_obj((Obj *)vm->types[TY_STR]),
                               val_obj((Obj *)vm->types[TY_FLOAT]));
    a[1] = val_obj((Obj *)tup);
    r = call(f, "isinstance", 2, a);
    assert_true(IS_BOOL(r) && r.as.i == 0);
    obj_decref((Obj *)tup);
    a[1] = val_int(2);
    check_exc(f, call(f, "isinstance", 2, a), EXC_TypeError,
              "isinstance() arg 2 must be a type, a tuple of types, or a union");
    a[0] = val_obj((Obj *)vm->types[TY_BOOL]);
    a[1] = val_obj((Obj *)vm->types[TY_INT]);
    r = call(f, "issubclass", 2, a);
    assert_true(IS_BOOL(r) && r.as.i == 1);
    a[0] = val_int(1);
    a[1] = str_val(f, "nope");
    check_exc(f, call(f, "getattr", 2, a), EXC_AttributeError,
              "'int' object has no attribute 'nope'");
    a[2] = val_int(9);
    check_int(call(f, "getattr", 3, a), 9);
    r = call(f, "hasattr", 2, a);
    assert_true(IS_BOOL(r) && r.as.i == 0);
    val_decref(a[1]);
    a[1] = val_int(2);
    check_exc(f, call(f, "getattr", 2, a), EXC_TypeError, "attribute name must be string, not 'int'");
    a[0] = *dict_find_str(vm->builtins, str_intern_cstr(vm, "len"));
    r = call(f, "callable", 1, a);
    assert_true(IS_BOOL(r) && r.as.i == 1);
}

static void test_exceptions(void **state)
{
    Fixture *f = *state;
    Vm *vm = f->vm;
    Value args[2] = {str_val(f, "x"), val_int(2)};
    Value cls = val_obj((Obj *)vm->exc[EXC_ValueError]);
    Value e = vm_call(f->t, cls, 1, args, NULL);
    assert_false(IS_ERR(e));
    check_str(vm_str(f->t, e), "x");
    check_repr(f, e, "ValueError('x')");
    e = vm_call(f->t, cls, 0, args, NULL);
    check_str(vm_str(f->t, e), "");
    check_repr(f, e, "ValueError()");
    e = vm_call(f->t, cls, 2, args, NULL);
    check_str(vm_str(f->t, e), "('x', 2)");
    check_repr(f, e, "ValueError('x', 2)");
    e = vm_call(f->t, val_obj((Obj *)vm->exc[EXC_KeyError]), 1, args, NULL);
    check_str(vm_str(f->t, e), "'x'");
    check_repr(f, e, "KeyError('x')");
    val_decref(args[0]);
}

static void test_math(void **state)
{
    Fixture *f = *state;
    Value a[2];
    a[0] = val_int(-1);
    check_exc(f, call_mod(f, &mod_math, "sqrt", 1, a), EXC_ValueError, "math domain error");
    a[0] = val_float(2.25);
    check_float(call_mod(f, &mod_math, "sqrt", 1, a), 1.5);
    a[0] = val_float(-2.5);
    check_int(call_mod(f, &mod_math, "floor", 1, a), -3);
    check_int(call_mod(f, &mod_math, "ceil", 1, a), -2);
    check_int(call_mod(f, &mod_math, "trunc", 1, a), -2);
    a[0] = val_float(INFINITY);
    check_exc(f, call_mod(f, &mod_math, "floor", 1, a), EXC_OverflowError,
              "cannot convert float infinity to integer");
    a[0] = val_int(21);
    check_exc(f, call_mod(f, &mod_math, "factorial", 1, a), EXC_OverflowError, NUM_OVERFLOW_MSG);
    a[0] = val_int(20);
    check_int(call_mod(f, &mod_math, "factorial", 1, a), 2432902008176640000LL);
    a[0] = val_int(-1);
    check_exc(f, call_mod(f, &mod_math, "factorial", 1, a), EXC_ValueError,
              "factorial() not defined for negative values");
    a[0] = val_int(12);
    a[1] = val_int(-18);
    check_int(call_mod(f, &mod_math, "gcd", 2, a), 6);
    a[0] = val_int(1000);
    check_exc(f, call_mod(f, &mod_math, "exp", 1, a), EXC_OverflowError, "math range error");
    a[0] = val_int(0);
    check_exc(f, call_mod(f, &mod_math, "log", 1, a), EXC_ValueError, "math domain error");
    a[0] = val_int(8);
    a[1] = val_int(2);
    check_float(call_mod(f, &mod_math, "log", 2, a), 3.0);
    a[0] = str_val(f, "a");
    check_exc(f, call_mod(f, &mod_math, "sqrt", 1, a), EXC_TypeError, "must be real number, not str");
    val_decref(a[0]);
    ObjList *l = list_new(f->vm, 10);
    for (int i = 0; i < 10; i++)
        list_append(l, val_float(0.1));
    a[0] = val_obj((Obj *)l);
    check_float(call_mod(f, &mod_math, "fsum", 1, a), 1.0);
    val_decref(a[0]);
}

static void test_sys_time_os(void **state)
{
    Fixture *f = *state;
    Value a = val_int(0);
    check_exc(f, call_mod(f, &mod_sys, "setswitchinterval", 1, &a), EXC_ValueError,
              "switch interval must be strictly positive");
    a = val_float(0.01);
    Value r = call_mod(f, &mod_sys, "setswitchinterval", 1, &a);
    assert_true(IS_NONE(r));
    check_float(call_mod(f, &mod_sys, "getswitchinterval", 0, NULL), 0.01);
    a = val_int(0);
    check_exc(f, call_mod(f, &mod_sys, "setrecursionlimit", 1, &a), EXC_ValueError,
              "recursion limit must be greater or equal than 1");
    a = val_float(-1.0);
    check_exc(f, call_mod(f, &mod_time, "sleep", 1, &a), EXC_ValueError,
              "sleep length must be non-negative");
    a = val_float(0.001);
    assert_true(IS_NONE(call_mod(f, &mod_time, "sleep", 1, &a)));
    Value t0 = call_mod(f, &mod_time, "perf_counter", 0, NULL);
    Value t1 = call_mod(f, &mod_time, "perf_counter", 0, NULL);
    assert_true(IS_FLOAT(t0) && IS_FLOAT(t1) && t1.as.f >= t0.as.f);
    r = call_mod(f, &mod_os, "cpu_count", 0, NULL);
    assert_true(IS_INT(r) && r.as.i >= 1);
    r = call_mod(f, &mod_os, "getpid", 0, NULL);
    assert_true(IS_INT(r) && r.as.i > 0);
    a = val_int(3);
    r = call_mod(f, &mod_sys, "exit", 1, &a);
    assert_true(IS_ERR(r));
    assert_true(vm_exc_matches(f->t, EXC_SystemExit));
    vm_exc_clear(f->t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_abs_len, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round, setup, teardown),
        cmocka_unit_test_setup_teardown(test_int_ctor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_float_ctor_repr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_minmax, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sum_any_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iterators, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arith, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_isinstance_attrs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exceptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_math, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sys_time_os, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
