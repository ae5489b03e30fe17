/*
 * test_marshal.c -- marshal.c: every sendable type round-trips, what cannot
 * be sent raises TypeError/ValueError, and loading any byte string (random,
 * truncated, mutated) either succeeds or raises ValueError -- never crashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "marshal.h"
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

/* ---- helpers ------------------------------------------------------------------ */

static Value str_val(Fixture *f, const char *s) { return val_obj(&str_from_cstr(f->vm, s)->obj); }

/* Dumps v, loads it back, returns the loaded value (asserting success). */
static Value round_trip(Fixture *f, Value v)
{
    StrBuf sb;
    sb_init(&sb);
    assert_int_equal(marshal_dump(f->t, v, &sb), 0);
    Value back = marshal_load(f->t, sb.buf, (size_t)sb.len);
    sb_fini(&sb);
    assert_false(IS_ERR(back));
    return back;
}

/* v == round_trip(v), with == as Python's; consumes v. */
static void check_same(Fixture *f, Value v)
{
    Value back = round_trip(f, v);
    assert_int_equal(vm_eq(f->t, v, back), 1);
    assert_string_equal(vm_type_name(f->vm, v), vm_type_name(f->vm, back));
    val_decref(back);
    val_decref(v);
}

static void check_error(Fixture *f, ExcId id)
{
    assert_false(IS_ERR(f->t->exc));
    if (!vm_exc_matches(f->t, id)) {
        Value s = vm_str(f->t, f->t->exc);
        print_message("raised %s: %s\n", vm_type_name(f->vm, f->t->exc), IS_ERR(s) ? "?" : AS_STR(s)->chars);
    }
    assert_true(vm_exc_matches(f->t, id));
    vm_exc_clear(f->t);
}

static void load_must_fail(Fixture *f, const char *data, size_t len)
{
    Value v = marshal_load(f->t, data, len);
    assert_true(IS_ERR(v));
    check_error(f, EXC_ValueError);
}

/* ---- round trips ---------------------------------------------------------------- */

static void test_scalars(void **state)
{
    Fixture *f = *state;
    check_same(f, VAL_NONE);
    check_same(f, VAL_TRUE);
    check_same(f, VAL_FALSE);
    int64_t ints[] = {0, 1, -1, 63, 64, -64, -65, 127, 128, 300, -300, INT32_MAX, INT32_MIN,
                      INT64_MAX, INT64_MIN, INT64_MIN + 1};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        check_same(f, val_int(ints[i]));
    double ds[] = {0.0, 1.5, -2.25, 1e300, -1e-300, INFINITY, -INFINITY, 0.1};
    for (size_t i = 0; i < sizeof ds / sizeof *ds; i++)
        check_same(f, val_float(ds[i]));
    Value z = round_trip(f, val_float(-0.0));
    assert_true(IS_FLOAT(z) && z.as.f == 0.0 && signbit(z.as.f));
    Value n = round_trip(f, val_float(NAN));
    assert_true(IS_FLOAT(n) && isnan(n.as.f));
    /* a bool stays a bool, not an int */
    Value b = round_trip(f, VAL_TRUE);
    assert_true(IS_BOOL(b));
}

static void test_strings_bytes(void **state)
{
    Fixture *f = *state;
    check_same(f, str_val(f, ""));
    check_same(f, str_val(f, "hello"));
    check_same(f, str_val(f, "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80"));
    Value s = round_trip(f, str_val(f, "\xc3\xa9t\xc3\xa9"));
    assert_int_equal(AS_STR(s)->nchars, 3);
    val_decref(s);
    check_same(f, val_obj(&bytes_new(f->vm, "", 0)->obj));
    check_same(f, val_obj(&bytes_new(f->vm, "\x00\xff\x80z", 4)->obj));
    char big[5000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    check_same(f, val_obj(&str_new(f->vm, big, sizeof big)->obj));
}

static void test_containers(void **state)
{
    Fixture *f = *state;
    Thread *t = f->t;
    ObjList *l = list_new(f->vm, 0);
    list_append_steal(l, val_int(1));
    list_append_steal(l, str_val(f, "two"));
    list_append_steal(l, VAL_NONE);
    ObjTuple *inner = tuple_pack(f->vm, 2, val_float(3.5), val_obj(&l->obj));
    ObjDict *d = dict_new(f->vm);
    Value k1 = str_val(f, "k");
    dict_set(t, d, k1, val_obj(&inner->obj));
    dict_set(t, d, val_int(7), VAL_TRUE);
    dict_set(t, d, VAL_NONE, val_obj(&tuple_new(f->vm, 0)->obj));
    ObjSet *st = set_new(f->vm);
    set_add(t, st, val_int(3));
    set_add(t, st, k1);
    dict_set(t, d, str_val(f, "set"), val_obj(&st->obj));
    val_decref(k1);
    obj_decref(&l->obj);
    obj_decref(&inner->obj);
    obj_decref(&st->obj);
    /* dict order is kept */
    Value back = round_trip(f, val_obj(&d->obj));
    int64_t pa = 0, pb = 0;
    Value ka, va, kb, vb;
    while (dict_next(d, &pa, &ka, &va)) {
        assert_true(dict_next(AS_DICT(back), &pb, &kb, &vb));
        assert_int_equal(vm_eq(t, ka, kb), 1);
    }
    assert_int_equal(vm_eq(t, val_obj(&d->obj), back), 1);
    val_decref(back);
    check_same(f, val_obj(&d->obj));
    check_same(f, val_obj(&list_new(f->vm, 0)->obj));
    check_same(f, val_obj(&set_new(f->vm)->obj));
}

static void test_globals_and_exceptions(void **state)
{
    Fixture *f = *state;
    Vm *vm = f->vm;
    Value *len = dict_find_str(vm->builtins, str_intern_cstr(vm, "len"));
    assert_non_null(len);
    Value back = round_trip(f, *len);
    assert_ptr_equal(AS_OBJ(back), AS_OBJ(*len));
    val_decref(back);
    Value cls = val_obj(&vm->exc[EXC_KeyError]->obj);
    back = round_trip(f, cls);
    assert_ptr_equal(AS_OBJ(back), AS_OBJ(cls));
    val_decref(back);
    Value args[2] = {str_val(f, "key"), val_int(2)};
    Value exc = vm_call(f->t, cls, 2, args, NULL);
    assert_false(IS_ERR(exc));
    back = round_trip(f, exc);
    assert_ptr_equal(back.as.o->cls, vm->exc[EXC_KeyError]);
    Value *ba = dict_find_str(AS_INSTANCE(back)->dict, vm->s_args);
    Value *ea = dict_find_str(AS_INSTANCE(exc)->dict, vm->s_args);
    assert_non_null(ba);
    assert_int_equal(vm_eq(f->t, *ba, *ea), 1);
    val_decref(back);
    val_decref(exc);
    val_decref(args[0]);
}

/* ---- what cannot be sent ---------------------------------------------------------- */

static void test_unsendable(void **state)
{
    Fixture *f = *state;
    Vm *vm = f->vm;
    StrBuf sb;
    sb_init(&sb);
    /* a module object */
    Value *m = dict_find_str(vm->modules, str_intern_cstr(vm, "builtins"));
    Value mod = m ? *m : val_obj(&vm_module_new(vm, "scratch")->obj);
    assert_int_equal(marshal_dump(f->t, mod, &sb), -1);
    check_error(f, EXC_TypeError);
    /* a native not reachable by name */
    Value nat = vm_native_new(vm, "nowhere_to_be_found", NULL, VAL_NONE);
    assert_int_equal(marshal_dump(f->t, nat, &sb), -1);
    check_error(f, EXC_TypeError);
    val_decref(nat);
    /* a list that contains itself */
    ObjList *l = list_new(vm, 0);
    list_append(l, val_obj(&l->obj));
    assert_int_equal(marshal_dump(f->t, val_obj(&l->obj), &sb), -1);
    check_error(f, EXC_ValueError);
    l->len = 0;
    obj_decref(&l->obj);     /* the self-reference was dropped by hand */
    sb_fini(&sb);
}

/* ---- malformed input ---------------------------------------------------------------- */

static void test_malformed(void **state)
{
    Fixture *f = *state;
    load_must_fail(f, "", 0);
    load_must_fail(f, "?", 1);
    load_must_fail(f, "i", 1);
    load_must_fail(f, "i\x80", 2);
    load_must_fail(f, "i\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 11);  /* beyond 64 bits */
    load_must_fail(f, "f\x00\x00", 3);
    load_must_fail(f, "s\x05hi", 4);
    load_must_fail(f, "s\x02\xc3\x28", 4);                              /* bad UTF-8 */
    load_must_fail(f, "s\x03\xed\xa0\x80", 5);                          /* a surrogate */
    load_must_fail(f, "s\x02\xc0\x80", 4);                              /* overlong */
    load_must_fail(f, "l\xff\xff\xff\xff\x0f", 6);                      /* huge count */
    load_must_fail(f, "t\x02N", 3);
    load_must_fail(f, "NN", 2);                                         /* trailing bytes */
    load_must_fail(f, "g", 1);
    load_must_fail(f, "o", 1);
    load_must_fail(f, "e", 1);
    /* deep nesting */
    char deep[MARSHAL_MAX_DEPTH * 2 + 20];
    size_t n = 0;
    for (int i = 0; i < MARSHAL_MAX_DEPTH + 5; i++) {
        deep[n++] = 'l';
        deep[n++] = 1;
    }
    deep[n++] = 'N';
    load_must_fail(f, deep, n);
    /* an unhashable key raises TypeError */
    Value v = marshal_load(f->t, "d\x01l\x00N", 5);
    assert_true(IS_ERR(v));
    check_error(f, EXC_TypeError);
    /* a global that does not exist */
    v = marshal_load(f->t, "gs\x08" "builtins" "s\x04" "nope", 17);
    assert_true(IS_ERR(v));
    check_error(f, EXC_AttributeError);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

/* Loads data; success or an exception, nothing else. */
static void load_anything(Fixture *f, const void *data, size_t len)
{
    Value v = marshal_load(f->t, data, len);
    if (IS_ERR(v)) {
        assert_false(IS_ERR(f->t->exc));
        vm_exc_clear(f->t);
    } else {
        val_decref(v);
    }
}

static void test_arbitrary_bytes(void **state)
{
    Fixture *f = *state;
    static const char alphabet[] = "NTFifsbtldSgoe\x00\x01\x02\x03\x7f\x80\xff";
    unsigned char buf[64];
    for (int round = 0; round < 20000; round++) {
        size_t len = rng() % sizeof buf;
        for (size_t i = 0; i < len; i++)
            buf[i] = rng() % 2 ? (unsigned char)alphabet[rng() % (sizeof alphabet - 1)] : (unsigned char)rng();
        load_anything(f, buf, len);
    }
    /* every prefix and many mutations of a valid encoding */
    ObjList *l = list_new(f->vm, 0);
    list_append_steal(l, str_val(f, "\xc3\xa9t\xc3\xa9"));
    list_append_steal(l, val_int(-123456789));
    list_append_steal(l, val_float(2.5));
    list_append_steal(l, val_obj(&tuple_pack(f->vm, 2, VAL_NONE, VAL_TRUE)->obj));
    list_append_steal(l, val_obj(&bytes_new(f->vm, "xyz", 3)->obj));
    list_append(l, val_obj(&f->vm->exc[EXC_ValueError]->obj));
    StrBuf sb;
    sb_init(&sb);
    assert_int_equal(marshal_dump(f->t, val_obj(&l->obj), &sb), 0);
    obj_decref(&l->obj);
    for (int64_t cut = 0; cut < sb.len; cut++) {
        Value v = marshal_load(f->t, sb.buf, (size_t)cut);
        assert_true(IS_ERR(v));
        vm_exc_clear(f->t);
    }
    char *m = malloc((size_t)sb.len);
    for (int round = 0; round < 5000; round++) {
        memcpy(m, sb.buf, (size_t)sb.len);
        int flips = 1 + (int)(rng() % 3);
        for (int k = 0; k < flips; k++)
            m[rng() % sb.len] = (char)rng();
        load_anything(f, m, (size_t)sb.len);
    }
    free(m);
    sb_fini(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scalars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_containers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_globals_and_exceptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsendable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arbitrary_bytes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
