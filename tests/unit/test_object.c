/*
 * test_object.c -- the object layer: strings, bytes, lists, tuples, dicts,
 * sets and formatting, driven through their C API and their methods on a
 * fresh VM.  Every expected text was produced by CPython 3.11.
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

/* ---- helpers ------------------------------------------------------------------ */

static Value S(Fixture *f, const char *s)
{
    return val_obj(&str_from_cstr(f->vm, s)->obj);
}

/* Asserts v is a str equal to want, then drops v. */
static void expect_str(Value v, const char *want)
{
    assert_true(IS_STR(v));
    assert_string_equal(AS_STR(v)->chars, want);
    val_decref(v);
}

/* Asserts repr(v) == want, then drops v. */
static void expect_repr(Fixture *f, Value v, const char *want)
{
    assert_false(IS_ERR(v));
    Value r = vm_repr(f->t, v);
    val_decref(v);
    expect_str(r, want);
}

/* Asserts that an exception of class id is pending with message msg (NULL:
 * any), then clears it. */
static void expect_exc(Fixture *f, Value result, ExcId id, const char *msg)
{
    assert_true(IS_ERR(result));
    assert_true(vm_exc_matches(f->t, id));
    if (msg) {
        Value s = vm_str(f->t, f->t->exc);
        expect_str(s, msg);
    }
    vm_exc_clear(f->t);
}

/* recv.name(*argv) with the last nkw values passed by the given names. */
static Value call_m(Fixture *f, Value recv, const char *name, int argc, const Value *argv,
                    int nkw, const char *const *kwnames)
{
    Value m = vm_getattr(f->t, recv, str_intern_cstr(f->vm, name));
    assert_false(IS_ERR(m));
    ObjTuple *kw = NULL;
    if (nkw > 0) {
        kw = tuple_new(f->vm, nkw);
        for (int i = 0; i < nkw; i++)
            kw->items[i] = val_obj(&str_intern_cstr(f->vm, kwnames[i])->obj);
    }
    Value r = vm_call(f->t, m, argc, argv, kw);
    if (kw)
        obj_decref(&kw->obj);
    val_decref(m);
    return r;
}

/* A method call on a str literal with up to three args, all borrowed. */
static Value str_m(Fixture *f, const char *recv, const char *name, int argc, Value a0, Value a1,
                   Value a2)
{
    Value r0 = S(f, recv);
    Value argv[3] = {a0, a1, a2};
    Value r = call_m(f, r0, name, argc, argv, 0, NULL);
    val_decref(r0);
    return r;
}

static ObjList *int_list(Fixture *f, int n, ...)
{
    ObjList *l = list_new(f->vm, 0);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        list_append(l, val_int(va_arg(ap, int)));
    va_end(ap);
    return l;
}

static Value slice_of(Fixture *f, Value start, Value stop, Value step)
{
    ObjSlice *s = (ObjSlice *)obj_alloc(f->vm, sizeof(ObjSlice), OBJ_SLICE,
                                        f->vm->types[TY_SLICE]);
    s->start = start;
    s->stop = stop;
    s->step = step;
    return val_obj(&s->obj);
}

/* ---- strings ------------------------------------------------------------------- */

static void test_str_intern_and_hash(void **state)
{
    Fixture *f = *state;
    ObjStr *a = str_intern_cstr(f->vm, "gilscope_interned");
    ObjStr *b = str_intern(f->vm, "gilscope_interned_xyz", 17);
    assert_ptr_equal(a, b);
    assert_true(a->interned);
    assert_true(a->obj.flags & OBJF_IMMORTAL);
    obj_decref(&a->obj);            /* immortal: never freed */
    assert_ptr_equal(a, str_intern_cstr(f->vm, "gilscope_interned"));

    ObjStr *c = str_from_cstr(f->vm, "gilscope_interned");
    assert_ptr_not_equal(a, c);
    assert_true(str_eq(a, c));
    assert_int_equal(c->hash, 0);
    uint64_t h = str_hash(c);
    assert_true(h != 0);
    assert_int_equal(c->hash, h);   /* cached */
    assert_int_equal(str_hash(a), h);
    obj_decref(&c->obj);

    ObjStr *x = str_from_cstr(f->vm, "abc"), *y = str_from_cstr(f->vm, "abd");
    ObjStr *z = str_from_cstr(f->vm, "ab");
    assert_true(str_cmp(x, y) < 0);
    assert_true(str_cmp(y, x) > 0);
    assert_true(str_cmp(z, x) < 0);
    assert_int_equal(str_cmp(x, x), 0);
    ObjStr *xy = str_concat(f->vm, x, y);
    assert_string_equal(xy->chars, "abcabd");
    assert_int_equal(xy->nchars, 6);
    obj_decref(&xy->obj);
    obj_decref(&x->obj);
    obj_decref(&y->obj);
    obj_decref(&z->obj);
}

static void test_str_repr(void **state)
{
    Fixture *f = *state;
    static const char *const cases[][2] = {
        {"abc", "'abc'"},
        {"it's", "\"it's\""},
        {"say \"hi\"", "'say \"hi\"'"},
        {"both ' and \"", "'both \\' and \"'"},
        {"tab\there\n\r", "'tab\\there\\n\\r'"},
        {"back\\slash", "'back\\\\slash'"},
        {"\x01\x7f", "'\\x01\\x7f'"},
        {"h\xc3\xa9llo \xe2\x82\xac", "'h\xc3\xa9llo \xe2\x82\xac'"},   /* 'héllo €' */
        {"\xc2\xa0", "'\\xa0'"},                                           /* no-break space */
        {"\xe2\x80\xa8", "'\\u2028'"},
        {"", "''"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ObjStr *s = str_from_cstr(f->vm, cases[i][0]);
        ObjStr *r = str_repr(f->vm, s);
        assert_string_equal(r->chars, cases[i][1]);
        obj_decref(&r->obj);
        obj_decref(&s->obj);
    }
    ObjStr *s = str_from_cstr(f->vm, "\xc3\xa9");
    ObjStr *a = str_ascii(f->vm, s);
    assert_string_equal(a->chars, "'\\xe9'");
    obj_decref(&a->obj);
    obj_decref(&s->obj);
}

static void test_str_utf8_indexing(void **state)
{
    Fixture *f = *state;
    ObjStr *s = str_from_cstr(f->vm, "h\xc3\xa9llo\xe2\x82\xac");   /* "héllo€" */
    assert_int_equal(s->len, 9);
    assert_int_equal(s->nchars, 6);
    ObjStr *c = str_char_at(f->vm, s, 1);
    assert_string_equal(c->chars, "\xc3\xa9");
    obj_decref(&c->obj);
    c = str_char_at(f->vm, s, 5);
    assert_string_equal(c->chars, "\xe2\x82\xac");
    obj_decref(&c->obj);
    expect_str(str_getitem(f->t, s, val_int(-1)), "\xe2\x82\xac");
    expect_str(str_getitem(f->t, s, val_int(0)), "h");
    expect_exc(f, str_getitem(f->t, s, val_int(6)), EXC_IndexError, "string index out of range");
    expect_exc(f, str_getitem(f->t, s, S(f, "x")), EXC_TypeError, NULL);
    vm_exc_clear(f->t);

    Value sl = slice_of(f, val_int(1), val_int(3), VAL_NONE);
    expect_str(str_getitem(f->t, s, sl), "\xc3\xa9l");
    val_decref(sl);
    sl = slice_of(f, VAL_NONE, VAL_NONE, val_int(-1));
    expect_str(str_getitem(f->t, s, sl), "\xe2\x82\xacoll\xc3\xa9h");
    val_decref(sl);
    sl = slice_of(f, VAL_NONE, VAL_NONE, val_int(2));
    expect_str(str_getitem(f->t, s, sl), "hlo");
    val_decref(sl);

    expect_str(str_repeat(f->t, s, 0), "");
    Value ab = S(f, "ab");
    expect_str(str_repeat(f->t, AS_STR(ab), 3), "ababab");
    ObjStr *needle = str_from_cstr(f->vm, "llo");
    assert_true(str_contains(s, needle));
    assert_false(str_contains(AS_STR(ab), needle));
    obj_decref(&needle->obj);
    val_decref(ab);
    obj_decref(&s->obj);
}

static void test_str_methods(void **state)
{
    Fixture *f = *state;
    Value comma = S(f, ","), empty = S(f, ""), dash = S(f, "-"), a = S(f, "a"), b = S(f, "b");
    Value x = S(f, "x");
    expect_repr(f, str_m(f, "a,b,,c", "split", 1, comma, VAL_NONE, VAL_NONE),
                "['a', 'b', '', 'c']");
    expect_repr(f, str_m(f, " a  b ", "split", 0, VAL_NONE, VAL_NONE, VAL_NONE), "['a', 'b']");
    expect_repr(f, str_m(f, "a b c", "split", 2, VAL_NONE, val_int(1), VAL_NONE),
                "['a', 'b c']");
    expect_repr(f, str_m(f, "  a b c  ", "rsplit", 2, VAL_NONE, val_int(1), VAL_NONE),
                "['  a b', 'c']");
    expect_repr(f, str_m(f, "a,b,c", "rsplit", 2, comma, val_int(1), VAL_NONE), "['a,b', 'c']");
    expect_repr(f, str_m(f, "a b c  ", "split", 2, VAL_NONE, val_int(1), VAL_NONE),
                "['a', 'b c  ']");
    expect_repr(f, str_m(f, "", "split", 0, VAL_NONE, VAL_NONE, VAL_NONE), "[]");
    expect_repr(f, str_m(f, "", "split", 1, comma, VAL_NONE, VAL_NONE), "['']");
    expect_exc(f, str_m(f, "abc", "split", 1, empty, VAL_NONE, VAL_NONE), EXC_ValueError,
               "empty separator");
    expect_repr(f, str_m(f, "ab", "replace", 2, empty, dash, VAL_NONE), "'-a-b-'");
    expect_repr(f, str_m(f, "aaa", "replace", 3, a, b, val_int(2)), "'bba'");
    expect_repr(f, str_m(f, "xxhixx", "strip", 1, x, VAL_NONE, VAL_NONE), "'hi'");
    expect_repr(f, str_m(f, "\t x \n", "strip", 0, VAL_NONE, VAL_NONE, VAL_NONE), "'x'");
    expect_repr(f, str_m(f, "xxhixx", "lstrip", 1, x, VAL_NONE, VAL_NONE), "'hixx'");
    expect_repr(f, str_m(f, "a\nb\r\nc\n", "splitlines", 0, VAL_NONE, VAL_NONE, VAL_NONE),
                "['a', 'b', 'c']");
    expect_repr(f, str_m(f, "abc", "find", 1, empty, VAL_NONE, VAL_NONE), "0");
    expect_repr(f, str_m(f, "abc", "find", 2, empty, val_int(4), VAL_NONE), "-1");
    expect_repr(f, str_m(f, "abc", "count", 1, empty, VAL_NONE, VAL_NONE), "4");
    expect_repr(f, str_m(f, "h\xc3\xa9llo", "find", 1, S(f, "l"), VAL_NONE, VAL_NONE), "2");
    vm_exc_clear(f->t);
    expect_exc(f, str_m(f, "abc", "index", 1, x, VAL_NONE, VAL_NONE), EXC_ValueError,
               "substring not found");
    expect_repr(f, str_m(f, "abc", "center", 2, val_int(9), S(f, "*"), VAL_NONE),
                "'***abc***'");
    expect_repr(f, str_m(f, "-7", "zfill", 1, val_int(4), VAL_NONE, VAL_NONE), "'-007'");
    expect_repr(f, str_m(f, "hello world", "title", 0, VAL_NONE, VAL_NONE, VAL_NONE),
                "'Hello World'");
    expect_repr(f, str_m(f, "a=b=c", "partition", 1, S(f, "="), VAL_NONE, VAL_NONE),
                "('a', '=', 'b=c')");
    expect_repr(f, str_m(f, "abc", "startswith", 1, a, VAL_NONE, VAL_NONE), "True");
    expect_exc(f, str_m(f, "abc", "startswith", 1, val_int(1), VAL_NONE, VAL_NONE),
               EXC_TypeError, "startswith first arg must be str or a tuple of str, not int");

    /* join: a list, and a type error naming the item */
    ObjList *l = list_new(f->vm, 0);
    list_append_steal(l, S(f, "a"));
    list_append_steal(l, S(f, "b"));
    expect_str(str_join(f->t, AS_STR(comma), val_obj(&l->obj)), "a,b");
    list_append(l, val_int(1));
    expect_exc(f, str_join(f->t, AS_STR(comma), val_obj(&l->obj)), EXC_TypeError,
               "sequence item 2: expected str instance, int found");
    obj_decref(&l->obj);

    /* str.format */
    Value fmt = S(f, "{} {:>6} {:08.3f} {name!r} {{}}");
    Value argv[4] = {val_int(1), S(f, "right"), val_float(3.14159), S(f, "n")};
    static const char *const kwn[] = {"name"};
    expect_str(call_m(f, fmt, "format", 4, argv, 1, kwn), "1  right 0003.142 'n' {}");
    val_decref(argv[1]);
    val_decref(argv[3]);
    val_decref(fmt);
    fmt = S(f, "{0} {1} {0}");
    Value two[2] = {S(f, "x"), val_int(2)};
    expect_str(call_m(f, fmt, "format", 2, two, 0, NULL), "x 2 x");
    val_decref(fmt);
    fmt = S(f, "{} {1}");
    expect_exc(f, call_m(f, fmt, "format", 2, two, 0, NULL), EXC_ValueError,
               "cannot switch from automatic field numbering to manual field specification");
    val_decref(fmt);
    fmt = S(f, "{2}");
    expect_exc(f, call_m(f, fmt, "format", 2, two, 0, NULL), EXC_IndexError,
               "Replacement index 2 out of range for positional args tuple");
    val_decref(fmt);
    val_decref(two[0]);

    /* encode / decode round trip and errors */
    Value e = str_m(f, "h\xc3\xa9", "encode", 0, VAL_NONE, VAL_NONE, VAL_NONE);
    expect_repr(f, val_dup(e), "b'h\\xc3\\xa9'");
    Value back = call_m(f, e, "decode", 0, NULL, 0, NULL);
    expect_str(back, "h\xc3\xa9");
    val_decref(e);
    expect_exc(f, str_m(f, "h\xc3\xa9", "encode", 1, S(f, "ascii"), VAL_NONE, VAL_NONE),
               EXC_UnicodeEncodeError,
               "'ascii' codec can't encode character '\\xe9' in position 1: ordinal not in "
               "range(128)");
    ObjBytes *bad = bytes_new(f->vm, "a\xff", 2);
    expect_exc(f, call_m(f, val_obj(&bad->obj), "decode", 0, NULL, 0, NULL),
               EXC_UnicodeDecodeError,
               "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte");
    obj_decref(&bad->obj);

    val_decref(comma);
    val_decref(empty);
    val_decref(dash);
    val_decref(a);
    val_decref(b);
    val_decref(x);
}

/* ---- formatting ------------------------------------------------------------------ */

static void test_float_repr(void **state)
{
    Fixture *f = *state;
    static const struct {
        double d;
        const char *want;
    } cases[] = {
        {0.1, "0.1"},
        {1.0 / 3, "0.3333333333333333"},
        {1e16, "1e+16"},
        {1e15, "1000000000000000.0"},
        {123456789012345678.0, "1.2345678901234568e+17"},
        {1.5e-5, "1.5e-05"},
        {0.0001, "0.0001"},
        {1e-5, "1e-05"},
        {2.5, "2.5"},
        {-0.0, "-0.0"},
        {0.0, "0.0"},
        {1e22, "1e+22"},
        {1e-7, "1e-07"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {100.0, "100.0"},
        {-3.0, "-3.0"},
        {0.30000000000000004, "0.30000000000000004"},
        {9007199254740993.0, "9007199254740992.0"},
        {123.456, "123.456"},
        {1e100, "1e+100"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ObjStr *s = float_repr(f->vm, cases[i].d);
        assert_string_equal(s->chars, cases[i].want);
        obj_decref(&s->obj);
    }
    ObjStr *s = float_repr(f->vm, INFINITY);
    assert_string_equal(s->chars, "inf");
    obj_decref(&s->obj);
    s = float_repr(f->vm, -INFINITY);
    assert_string_equal(s->chars, "-inf");
    obj_decref(&s->obj);
    s = float_repr(f->vm, NAN);
    assert_string_equal(s->chars, "nan");
    obj_decref(&s->obj);
}

static void test_format_spec(void **state)
{
    Fixture *f = *state;
    static const struct {
        int kind;           /* 0 int, 1 float, 2 str, 3 bool */
        int64_t i;
        double d;
        const char *s;
        const char *spec;
        const char *want;
    } cases[] = {
        {0, 1234, 0, NULL, "010,", "00,001,234"},
        {0, 1234567, 0, NULL, ",", "1,234,567"},
        {0, 1234567, 0, NULL, "_", "1_234_567"},
        {0, 0xabcdef, 0, NULL, "_x", "ab_cdef"},
        {0, -5, 0, NULL, "#010x", "-0x0000005"},
        {0, 255, 0, NULL, "#b", "0b11111111"},
        {0, 12, 0, NULL, "^7", "  12   "},
        {0, -12, 0, NULL, "=7", "-    12"},
        {0, 65, 0, NULL, "c", "A"},
        {0, 42, 0, NULL, "+d", "+42"},
        {0, 3, 0, NULL, ".2f", "3.00"},
        {3, 1, 0, NULL, ">5", "    1"},
        {3, 1, 0, NULL, "", "True"},
        {1, 0, 1.5, NULL, "=+8", "+    1.5"},
        {1, 0, 1.0, NULL, ".3", "1.0"},
        {1, 0, 1234.5, NULL, ".2", "1.2e+03"},
        {1, 0, 1e16, NULL, "", "1e+16"},
        {1, 0, 3.14159, NULL, ".3", "3.14"},
        {1, 0, 0.5, NULL, ".0f", "0"},
        {1, 0, 2.5, NULL, ".0f", "2"},
        {1, 0, 123.456, NULL, "e", "1.234560e+02"},
        {1, 0, 1.0, NULL, "%", "100.000000%"},
        {1, 0, 1.0, NULL, "#g", "1.00000"},
        {1, 0, 1234567.0, NULL, ",", "1,234,567.0"},
        {1, 0, 1234567.891, NULL, ",.2f", "1,234,567.89"},
        {1, 0, -0.0, NULL, "+", "-0.0"},
        {1, 0, INFINITY, NULL, "010", "0000000inf"},
        {1, 0, 1.5, NULL, "10", "       1.5"},
        {2, 0, 0, "ab", "^6", "  ab  "},
        {2, 0, 0, "ab", "05", "ab000"},
        {2, 0, 0, "hello", ".2", "he"},
        {2, 0, 0, "ab", "*>4", "**ab"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Value v = cases[i].kind == 0 ? val_int(cases[i].i)
                : cases[i].kind == 1 ? val_float(cases[i].d)
                : cases[i].kind == 3 ? val_bool(cases[i].i)
                : S(f, cases[i].s);
        ObjStr *spec = str_from_cstr(f->vm, cases[i].spec);
        Value r = vm_format(f->t, v, spec);
        if (IS_ERR(r))
            fail_msg("format spec case %zu ('%s') raised", i, cases[i].spec);
        if (strcmp(AS_STR(r)->chars, cases[i].want) != 0)
            fail_msg("case %zu: format(..., '%s') = '%s', want '%s'", i, cases[i].spec,
                     AS_STR(r)->chars, cases[i].want);
        val_decref(r);
        obj_decref(&spec->obj);
        val_decref(v);
    }
    ObjStr *spec = str_from_cstr(f->vm, "s");
    expect_exc(f, vm_format(f->t, val_int(1), spec), EXC_ValueError,
               "Unknown format code 's' for object of type 'int'");
    obj_decref(&spec->obj);
    spec = str_from_cstr(f->vm, ".2");
    expect_exc(f, vm_format(f->t, val_int(1), spec), EXC_ValueError,
               "Precision not allowed in integer format specifier");
    obj_decref(&spec->obj);
    spec = str_from_cstr(f->vm, "+");
    Value a = S(f, "a");
    expect_exc(f, vm_format(f->t, a, spec), EXC_ValueError,
               "Sign not allowed in string format specifier");
    expect_exc(f, vm_format(f->t, VAL_NONE, spec), EXC_TypeError,
               "unsupported format string passed to NoneType.__format__");
    obj_decref(&spec->obj);
    val_decref(a);
}

/* fmt % args where args is the tuple of n values (or the one value if n < 0). */
static Value pct(Fixture *f, const char *fmt, int n, ...)
{
    ObjStr *s = str_from_cstr(f->vm, fmt);
    va_list ap;
    va_start(ap, n);
    Value args;
    if (n < 0) {
        args = va_arg(ap, Value);
        val_incref(args);
    } else {
        ObjTuple *tu = tuple_new(f->vm, n);
        for (int i = 0; i < n; i++)
            tu->items[i] = val_dup(va_arg(ap, Value));
        args = val_obj(&tu->obj);
    }
    va_end(ap);
    Value r = str_percent_format(f->t, s, args);
    val_decref(args);
    obj_decref(&s->obj);
    return r;
}

static void test_percent_format(void **state)
{
    Fixture *f = *state;
    Value hi = S(f, "hi"), ab = S(f, "ab"), e = S(f, "h\xc3\xa9llo");
    expect_str(pct(f, "%5.2f|%-5d|%05d|%x|%r|%s", 6, val_float(3.14159), val_int(42),
                   val_int(-42), val_int(255), hi, hi),
               " 3.14|42   |-0042|ff|'hi'|hi");
    expect_str(pct(f, "%#o %#x %+d % d %.3d", 5, val_int(8), val_int(255), val_int(5),
                   val_int(5), val_int(7)),
               "0o10 0xff +5  5 007");
    expect_str(pct(f, "%x|%o", 2, val_int(-31), val_int(-8)), "-1f|-10");
    expect_str(pct(f, "%5s|%-5s|%.2s", 3, ab, ab, e), "   ab|ab   |h\xc3\xa9");
    expect_str(pct(f, "%*d|%-*d|%.*f", 6, val_int(5), val_int(3), val_int(5), val_int(3),
                   val_int(2), val_float(3.14159)),
               "    3|3    |3.14");
    expect_str(pct(f, "%+.2e %g %G %e", 4, val_float(12345.678), val_float(1e-5),
                   val_float(1e20), val_float(0.0)),
               "+1.23e+04 1e-05 1E+20 0.000000e+00");
    expect_str(pct(f, "%c%c %d %i %s %%", 5, val_int(65), S(f, "b"), val_float(3.99),
                   VAL_TRUE, VAL_TRUE),
               "Ab 3 1 True %");
    vm_exc_clear(f->t);
    expect_str(pct(f, "%05f", 1, val_float(INFINITY)), "00inf");
    expect_str(pct(f, "%s", -1, val_int(7)), "7");
    expect_str(pct(f, "%a", 1, e), "'h\\xe9llo'");

    ObjDict *d = dict_new(f->vm);
    dict_set_str(f->vm, d, str_intern_cstr(f->vm, "a"), val_int(1));
    dict_set_str(f->vm, d, str_intern_cstr(f->vm, "b"), hi);
    expect_str(pct(f, "%(a)s-%(b)r", -1, val_obj(&d->obj)), "1-'hi'");
    expect_str(pct(f, "%s", -1, val_obj(&d->obj)), "{'a': 1, 'b': 'hi'}");
    expect_exc(f, pct(f, "%(zz)s", -1, val_obj(&d->obj)), EXC_KeyError, "'zz'");
    obj_decref(&d->obj);

    expect_exc(f, pct(f, "%s %s", 1, val_int(1)), EXC_TypeError,
               "not enough arguments for format string");
    expect_exc(f, pct(f, "%s", 2, val_int(1), val_int(2)), EXC_TypeError,
               "not all arguments converted during string formatting");
    expect_exc(f, pct(f, "%d", 1, hi), EXC_TypeError,
               "%d format: a real number is required, not str");
    expect_exc(f, pct(f, "%x", 1, val_float(3.5)), EXC_TypeError,
               "%x format: an integer is required, not float");
    expect_exc(f, pct(f, "%f", 1, hi), EXC_TypeError, "must be real number, not str");
    expect_exc(f, pct(f, "%y", 1, val_int(1)), EXC_ValueError,
               "unsupported format character 'y' (0x79) at index 1");
    expect_exc(f, pct(f, "abc%", 1, val_int(1)), EXC_ValueError, "incomplete format");
    expect_exc(f, pct(f, "%(a)s", -1, val_int(1)), EXC_TypeError, "format requires a mapping");
    val_decref(hi);
    val_decref(ab);
    val_decref(e);
}

/* ---- lists and tuples --------------------------------------------------------------- */

static void test_list_append_growth(void **state)
{
    Fixture *f = *state;
    ObjList *l = list_new(f->vm, 0);
    for (int i = 0; i < 10000; i++) {
        list_append(l, val_int(i));
        assert_true(l->cap >= l->len);
    }
    assert_int_equal(l->len, 10000);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(l->items[i].as.i, i);
    Value s = S(f, "shared");
    list_append(l, s);
    assert_int_equal(AS_OBJ(s)->rc, 2);
    obj_decref(&l->obj);
    assert_int_equal(AS_OBJ(s)->rc, 1);
    val_decref(s);
}

static void test_slice_indices(void **state)
{
    Fixture *f = *state;
    /* (start, stop, step) with 99 for None, on len 7; CPython's slice.indices */
    static const int64_t cases[][7] = {
        {99, 99, -1, 6, -1, -1, 7},
        {99, 99, 2, 0, 7, 2, 4},
        {-2, 99, 99, 5, 7, 1, 2},
        {1, -1, 99, 1, 6, 1, 5},
        {100, -100, -3, 6, -1, -3, 3},
        {-100, 100, 3, 0, 7, 3, 3},
        {5, 2, -1, 5, 2, -1, 3},
        {99, 99, -3, 6, -1, -3, 3},
        {3, 3, 99, 3, 3, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Value v[3];
        for (int k = 0; k < 3; k++)
            v[k] = cases[i][k] == 99 ? VAL_NONE : val_int(cases[i][k]);
        Value sl = slice_of(f, v[0], v[1], v[2]);
        int64_t a, b, st, n;
        assert_true(slice_indices(f->t, AS_SLICE(sl), 7, &a, &b, &st, &n));
        assert_int_equal(a, cases[i][3]);
        assert_int_equal(b, cases[i][4]);
        assert_int_equal(st, cases[i][5]);
        assert_int_equal(n, cases[i][6]);
        val_decref(sl);
    }
    Value sl = slice_of(f, VAL_NONE, VAL_NONE, val_int(0));
    int64_t a, b, st, n;
    assert_false(slice_indices(f->t, AS_SLICE(sl), 7, &a, &b, &st, &n));
    expect_exc(f, VAL_ERR, EXC_ValueError, "slice step cannot be zero");
    val_decref(sl);
}

static void test_list_slicing(void **state)
{
    Fixture *f = *state;
    ObjList *l = int_list(f, 10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    Value sl = slice_of(f, VAL_NONE, VAL_NONE, val_int(-3));
    expect_repr(f, list_getitem(f->t, l, sl), "[9, 6, 3, 0]");
    val_decref(sl);
    sl = slice_of(f, val_int(8), val_int(2), val_int(-2));
    expect_repr(f, list_getitem(f->t, l, sl), "[8, 6, 4]");
    val_decref(sl);
    sl = slice_of(f, val_int(-1), val_int(-5), val_int(-1));
    expect_repr(f, list_getitem(f->t, l, sl), "[9, 8, 7, 6]");
    val_decref(sl);
    expect_repr(f, list_getitem(f->t, l, val_int(-1)), "9");
    expect_exc(f, list_getitem(f->t, l, val_int(10)), EXC_IndexError, "list index out of range");

    /* extended slice assignment, and a size mismatch */
    ObjList *five = list_new(f->vm, 0);
    for (int i = 0; i < 5; i++)
        list_append_steal(five, S(f, "a"));
    sl = slice_of(f, VAL_NONE, VAL_NONE, val_int(2));
    assert_int_equal(list_setitem(f->t, l, sl, val_obj(&five->obj)), 0);
    expect_repr(f, val_dup(val_obj(&l->obj)), "['a', 1, 'a', 3, 'a', 5, 'a', 7, 'a', 9]");
    list_append(five, val_int(0));
    assert_int_equal(list_setitem(f->t, l, sl, val_obj(&five->obj)), -1);
    expect_exc(f, VAL_ERR, EXC_ValueError,
               "attempt to assign sequence of size 6 to extended slice of size 5");
    val_decref(sl);
    obj_decref(&five->obj);
    obj_decref(&l->obj);

    l = int_list(f, 10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    sl = slice_of(f, VAL_NONE, VAL_NONE, val_int(-3));
    assert_int_equal(list_delitem(f->t, l, sl), 0);
    expect_repr(f, val_dup(val_obj(&l->obj)), "[1, 2, 4, 5, 7, 8]");
    val_decref(sl);
    obj_decref(&l->obj);

    l = int_list(f, 5, 0, 1, 2, 3, 4);
    ObjList *nines = int_list(f, 3, 9, 9, 9);
    sl = slice_of(f, val_int(1), val_int(3), VAL_NONE);
    assert_int_equal(list_setitem(f->t, l, sl, val_obj(&nines->obj)), 0);
    expect_repr(f, val_dup(val_obj(&l->obj)), "[0, 9, 9, 9, 3, 4]");
    val_decref(sl);
    /* l[:] = l */
    sl = slice_of(f, VAL_NONE, VAL_NONE, VAL_NONE);
    assert_int_equal(list_setitem(f->t, l, sl, val_obj(&l->obj)), 0);
    expect_repr(f, val_dup(val_obj(&l->obj)), "[0, 9, 9, 9, 3, 4]");
    val_decref(sl);
    /* l += l */
    assert_int_equal(list_extend(f->t, l, val_obj(&l->obj)), 0);
    assert_int_equal(l->len, 12);
    obj_decref(&nines->obj);
    obj_decref(&l->obj);

    /* tuples: slicing, repr, concat, comparison */
    ObjTuple *tu = tuple_pack(f->vm, 3, val_int(1), val_int(2), val_int(3));
    sl = slice_of(f, val_int(1), VAL_NONE, VAL_NONE);
    expect_repr(f, tuple_getitem(f->t, tu, sl), "(2, 3)");
    val_decref(sl);
    expect_exc(f, tuple_getitem(f->t, tu, val_int(3)), EXC_IndexError, "tuple index out of range");
    ObjTuple *one = tuple_pack(f->vm, 1, val_int(1));
    expect_repr(f, val_obj(&tuple_new(f->vm, 0)->obj), "()");
    expect_repr(f, val_dup(val_obj(&one->obj)), "(1,)");
    expect_repr(f, seq_concat(f->t, val_obj(&one->obj), val_obj(&tu->obj)), "(1, 1, 2, 3)");
    assert_int_equal(seq_compare(f->t, one->items, one->len, tu->items, tu->len, CMP_LT), 1);
    assert_int_equal(seq_richcompare(f->t, val_obj(&tu->obj), val_obj(&tu->obj), CMP_EQ), 1);
    assert_int_equal(seq_contains(f->t, val_obj(&tu->obj), val_float(2.0)), 1);
    ObjList *ll = int_list(f, 1, 1);
    expect_exc(f, seq_concat(f->t, val_obj(&ll->obj), val_obj(&tu->obj)), EXC_TypeError,
               "can only concatenate list (not \"tuple\") to list");
    obj_decref(&ll->obj);
    obj_decref(&one->obj);
    obj_decref(&tu->obj);
}

/* key function for the sort tests: item[0] of a tuple */
static Value key_first(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)t;
    (void)self;
    (void)argc;
    (void)kw;
    return val_dup(AS_TUPLE(argv[0])->items[0]);
}

static void test_sort(void **state)
{
    Fixture *f = *state;
    /* stability with a key: (k, i) pairs sorted by k keep i ascending */
    static const int keys[] = {3, 1, 2, 1, 3, 2, 1, 0, 2, 3, 0, 1};
    int n = (int)(sizeof keys / sizeof keys[0]);
    ObjList *l = list_new(f->vm, 0);
    for (int i = 0; i < n; i++)
        list_append_steal(l, val_obj(&tuple_pack(f->vm, 2, val_int(keys[i]), val_int(i))->obj));
    Value key = vm_native_new(f->vm, "key_first", key_first, VAL_NONE);
    assert_int_equal(list_sort(f->t, l, key, false), 0);
    expect_repr(f, val_dup(val_obj(&l->obj)),
                "[(0, 7), (0, 10), (1, 1), (1, 3), (1, 6), (1, 11), (2, 2), (2, 5), (2, 8), "
                "(3, 0), (3, 4), (3, 9)]");
    assert_int_equal(list_sort(f->t, l, key, true), 0);
    expect_repr(f, val_dup(val_obj(&l->obj)),
                "[(3, 0), (3, 4), (3, 9), (2, 2), (2, 5), (2, 8), (1, 1), (1, 3), (1, 6), "
                "(1, 11), (0, 7), (0, 10)]");
    val_decref(key);
    obj_decref(&l->obj);

    /* keyword-only arguments through the method */
    l = int_list(f, 5, 3, 1, 2, 5, 4);
    Value kwv[1] = {VAL_TRUE};
    static const char *const rev[] = {"reverse"};
    Value r = call_m(f, val_obj(&l->obj), "sort", 1, kwv, 1, rev);
    assert_true(IS_NONE(r));
    expect_repr(f, val_dup(val_obj(&l->obj)), "[5, 4, 3, 2, 1]");
    expect_exc(f, call_m(f, val_obj(&l->obj), "sort", 1, kwv, 0, NULL), EXC_TypeError,
               "sort() takes no positional arguments");
    obj_decref(&l->obj);

    /* a failing comparison: TypeError propagates, the list is intact */
    l = list_new(f->vm, 0);
    list_append(l, val_int(3));
    list_append_steal(l, S(f, "a"));
    list_append(l, val_int(1));
    assert_int_equal(list_sort(f->t, l, VAL_NONE, false), -1);
    expect_exc(f, VAL_ERR, EXC_TypeError, NULL);
    assert_int_equal(l->len, 3);
    expect_repr(f, val_dup(val_obj(&l->obj)), "[3, 'a', 1]");
    obj_decref(&l->obj);

    /* fast paths: floats, strings */
    l = list_new(f->vm, 0);
    static const double ds[] = {2.5, -1.0, 1e10, 0.0, 2.5};
    for (int i = 0; i < 5; i++)
        list_append(l, val_float(ds[i]));
    assert_int_equal(list_sort(f->t, l, VAL_NONE, false), 0);
    expect_repr(f, val_dup(val_obj(&l->obj)), "[-1.0, 0.0, 2.5, 2.5, 10000000000.0]");
    obj_decref(&l->obj);
    l = list_new(f->vm, 0);
    static const char *const ws[] = {"banana", "Apple", "cherry", "apple"};
    for (int i = 0; i < 4; i++)
        list_append_steal(l, S(f, ws[i]));
    assert_int_equal(list_sort(f->t, l, VAL_NONE, true), 0);
    expect_repr(f, val_dup(val_obj(&l->obj)), "['cherry', 'banana', 'apple', 'Apple']");
    obj_decref(&l->obj);

    /* list methods' messages */
    l = int_list(f, 2, 1, 2);
    Value nine = val_int(9);
    expect_exc(f, call_m(f, val_obj(&l->obj), "remove", 1, &nine, 0, NULL), EXC_ValueError,
               "list.remove(x): x not in list");
    expect_exc(f, call_m(f, val_obj(&l->obj), "index", 1, &nine, 0, NULL), EXC_ValueError,
               "9 is not in list");
    Value pos = val_int(5);
    expect_exc(f, call_m(f, val_obj(&l->obj), "pop", 1, &pos, 0, NULL), EXC_IndexError,
               "pop index out of range");
    val_decref(call_m(f, val_obj(&l->obj), "clear", 0, NULL, 0, NULL));
    expect_exc(f, call_m(f, val_obj(&l->obj), "pop", 0, NULL, 0, NULL), EXC_IndexError,
               "pop from empty list");
    obj_decref(&l->obj);
}

/* ---- dicts and sets ---------------------------------------------------------------- */

static void test_dict_order(void **state)
{
    Fixture *f = *state;
    ObjDict *d = dict_new(f->vm);
    char name[2] = {0, 0};
    for (int i = 0; i < 26; i++) {
        name[0] = (char)('a' + i);
        Value k = S(f, name);
        assert_int_equal(dict_set(f->t, d, k, val_int(i)), 0);
        val_decref(k);
    }
    for (int i = 0; i < 26; i += 2) {   /* delete a, c, e, ... */
        name[0] = (char)('a' + i);
        Value k = S(f, name);
        assert_int_equal(dict_del(f->t, d, k), 1);
        assert_int_equal(dict_del(f->t, d, k), 0);
        val_decref(k);
    }
    Value ka = S(f, "a");
    assert_int_equal(dict_set(f->t, d, ka, val_int(100)), 0);   /* re-added: goes last */
    Value kb = S(f, "b");
    assert_int_equal(dict_set(f->t, d, kb, val_int(-1)), 0);    /* replaced: keeps its place */
    assert_int_equal(d->len, 14);
    expect_repr(f, val_dup(val_obj(&d->obj)),
                "{'b': -1, 'd': 3, 'f': 5, 'h': 7, 'j': 9, 'l': 11, 'n': 13, 'p': 15, "
                "'r': 17, 't': 19, 'v': 21, 'x': 23, 'z': 25, 'a': 100}");
    Value out;
    assert_int_equal(dict_get(f->t, d, kb, &out), 1);
    assert_int_equal(out.as.i, -1);
    Value *slot = dict_find_str(d, AS_STR(ka));
    assert_non_null(slot);
    assert_int_equal(slot->as.i, 100);

    /* copy keeps the order; popitem takes the last */
    ObjDict *c = dict_copy(f->t, d);
    expect_repr(f, call_m(f, val_obj(&c->obj), "popitem", 0, NULL, 0, NULL), "('a', 100)");
    assert_int_equal(c->len, 13);
    obj_decref(&c->obj);
    val_decref(ka);
    val_decref(kb);

    /* pop with and without default, KeyError(key) */
    Value zz = S(f, "zz");
    Value args[2] = {zz, val_int(0)};
    expect_repr(f, call_m(f, val_obj(&d->obj), "pop", 2, args, 0, NULL), "0");
    Value r = call_m(f, val_obj(&d->obj), "pop", 1, args, 0, NULL);
    assert_true(IS_ERR(r));
    assert_true(vm_exc_matches(f->t, EXC_KeyError));
    Value exc_args = vm_getattr(f->t, f->t->exc, str_intern_cstr(f->vm, "args"));
    expect_repr(f, exc_args, "('zz',)");
    vm_exc_clear(f->t);
    val_decref(zz);
    dict_clear(d);
    assert_int_equal(d->len, 0);
    expect_repr(f, val_dup(val_obj(&d->obj)), "{}");
    obj_decref(&d->obj);
}

static void test_dict_stress(void **state)
{
    Fixture *f = *state;
    ObjDict *d = dict_new(f->vm);
    for (int64_t i = 0; i < 10000; i++)
        assert_int_equal(dict_set(f->t, d, val_int(i * 7919), val_int(i)), 0);
    assert_int_equal(d->len, 10000);
    for (int64_t i = 0; i < 10000; i += 2)
        assert_int_equal(dict_del(f->t, d, val_int(i * 7919)), 1);
    assert_int_equal(d->len, 5000);
    for (int64_t i = 0; i < 10000; i++) {
        Value v;
        int r = dict_get(f->t, d, val_int(i * 7919), &v);
        assert_int_equal(r, i % 2);
        if (r)
            assert_int_equal(v.as.i, i);
    }
    /* churn: the deleted entries must be squeezed out, not accumulate */
    for (int round = 0; round < 20; round++) {
        for (int64_t i = 0; i < 1000; i++)
            assert_int_equal(dict_set(f->t, d, val_int(-1 - i), val_int(round)), 0);
        for (int64_t i = 0; i < 1000; i++)
            assert_int_equal(dict_del(f->t, d, val_int(-1 - i)), 1);
    }
    assert_int_equal(d->len, 5000);
    assert_true(d->used <= d->cap);
    assert_true(d->cap < 40000);
    int64_t pos = 0, prev = -1, count = 0;
    Value k, v;
    while (dict_next(d, &pos, &k, &v)) {    /* insertion order survives */
        assert_true(v.as.i > prev);
        prev = v.as.i;
        count++;
    }
    assert_int_equal(count, 5000);
    obj_decref(&d->obj);
}

static void test_dict_keys(void **state)
{
    Fixture *f = *state;
    ObjDict *d = dict_new(f->vm);
    Value one = S(f, "one");
    assert_int_equal(dict_set(f->t, d, val_int(1), one), 0);
    assert_int_equal(dict_set(f->t, d, val_float(1.0), val_int(2)), 0);
    assert_int_equal(dict_set(f->t, d, VAL_TRUE, val_int(3)), 0);
    assert_int_equal(d->len, 1);
    expect_repr(f, val_dup(val_obj(&d->obj)), "{1: 3}");    /* the first key stays */
    assert_int_equal(hash_int(1), hash_double(1.0));
    assert_int_equal(hash_int(-1), (uint64_t)-2);
    assert_int_equal(hash_double(0.5), 1152921504606846976ULL);
    assert_int_equal(hash_int(INT64_MIN), (uint64_t)-4);
    Value v;
    assert_int_equal(dict_get(f->t, d, val_float(1.5), &v), 0);
    assert_int_equal(dict_get(f->t, d, val_float(1.0), &v), 1);

    /* an unhashable key */
    ObjList *l = list_new(f->vm, 0);
    assert_int_equal(dict_set(f->t, d, val_obj(&l->obj), val_int(1)), -1);
    expect_exc(f, VAL_ERR, EXC_TypeError, "unhashable type: 'list'");
    assert_int_equal(dict_get(f->t, d, val_obj(&l->obj), &v), -1);
    vm_exc_clear(f->t);
    obj_decref(&l->obj);

    /* tuple keys hash by value */
    ObjTuple *t1 = tuple_pack(f->vm, 2, val_int(1), one);
    ObjTuple *t2 = tuple_pack(f->vm, 2, val_float(1.0), one);
    assert_int_equal(dict_set(f->t, d, val_obj(&t1->obj), val_int(10)), 0);
    assert_int_equal(dict_get(f->t, d, val_obj(&t2->obj), &v), 1);
    assert_int_equal(v.as.i, 10);
    obj_decref(&t1->obj);
    obj_decref(&t2->obj);
    val_decref(one);
    obj_decref(&d->obj);
}

static void test_sets(void **state)
{
    Fixture *f = *state;
    ObjSet *s = set_new(f->vm);
    static const int xs[] = {10, 20, 5, 100};
    for (int i = 0; i < 4; i++)
        assert_int_equal(set_add(f->t, s, val_int(xs[i])), 0);
    assert_int_equal(set_add(f->t, s, val_float(5.0)), 0);
    assert_int_equal(s->len, 4);
    expect_repr(f, val_dup(val_obj(&s->obj)), "{100, 10, 20, 5}");   /* CPython's order */
    Value items[4] = {val_int(10), val_int(20), val_int(5), val_int(100)};
    expect_repr(f, set_from_const_items(f->t, items, 4), "{10, 5, 100, 20}");
    assert_int_equal(set_contains(f->t, s, val_int(20)), 1);
    assert_int_equal(set_contains(f->t, s, val_int(21)), 0);

    ObjSet *o = set_new(f->vm);
    for (int i = 0; i < 3; i++)
        set_add(f->t, o, val_int(i * 10));    /* {0, 10, 20} */
    expect_repr(f, set_binop(f->t, BINOP_OR, val_obj(&s->obj), val_obj(&o->obj)),
                "{0, 100, 20, 5, 10}");
    expect_repr(f, set_binop(f->t, BINOP_AND, val_obj(&s->obj), val_obj(&o->obj)), "{10, 20}");
    expect_repr(f, set_binop(f->t, BINOP_SUB, val_obj(&s->obj), val_obj(&o->obj)), "{100, 5}");
    expect_repr(f, set_binop(f->t, BINOP_XOR, val_obj(&s->obj), val_obj(&o->obj)),
                "{0, 100, 5}");
    assert_int_equal(set_compare(f->t, o, s, CMP_LE), 0);
    Value ten = val_int(10);
    expect_exc(f, call_m(f, val_obj(&o->obj), "remove", 1, (Value[]){val_int(7)}, 0, NULL),
               EXC_KeyError, "7");
    val_decref(call_m(f, val_obj(&o->obj), "discard", 1, (Value[]){val_int(0)}, 0, NULL));
    val_decref(call_m(f, val_obj(&o->obj), "discard", 1, &ten, 0, NULL));
    assert_int_equal(set_compare(f->t, o, s, CMP_LT), 1);
    expect_repr(f, call_m(f, val_obj(&o->obj), "pop", 0, NULL, 0, NULL), "20");
    expect_repr(f, val_dup(val_obj(&o->obj)), "set()");
    expect_exc(f, call_m(f, val_obj(&o->obj), "pop", 0, NULL, 0, NULL), EXC_KeyError,
               "'pop from an empty set'");
    obj_decref(&o->obj);

    /* growth through many adds and removes keeps membership right */
    ObjSet *big = set_new(f->vm);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(set_add(f->t, big, val_int(i * 3)), 0);
    for (int i = 0; i < 5000; i += 3)
        assert_int_equal(dict_del(f->t, big, val_int(i * 3)), 1);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(set_contains(f->t, big, val_int(i * 3)), i % 3 != 0);
    obj_decref(&big->obj);
    obj_decref(&s->obj);
}

static void test_seq_repr(void **state)
{
    Fixture *f = *state;
    ObjList *l = int_list(f, 1, 1);
    list_append(l, val_obj(&l->obj));    /* l.append(l) */
    expect_repr(f, val_dup(val_obj(&l->obj)), "[1, [...]]");
    list_delitem(f->t, l, val_int(1));   /* break the cycle */
    ObjDict *d = dict_new(f->vm);
    dict_set_str(f->vm, d, str_intern_cstr(f->vm, "k"), val_obj(&l->obj));
    dict_set(f->t, d, val_float(0.5), VAL_NONE);
    dict_set(f->t, d, VAL_FALSE, S(f, "it's"));
    expect_repr(f, val_dup(val_obj(&d->obj)), "{'k': [1], 0.5: None, False: \"it's\"}");
    obj_decref(&d->obj);
    obj_decref(&l->obj);
    ObjBytes *b = bytes_new(f->vm, "it's\x00\xff\n", 7);
    ObjStr *r = bytes_repr(f->vm, b);
    assert_string_equal(r->chars, "b\"it's\\x00\\xff\\n\"");
    obj_decref(&r->obj);
    expect_repr(f, bytes_getitem(f->t, b, val_int(-2)), "255");
    Value sl = slice_of(f, val_int(1), val_int(3), VAL_NONE);
    expect_repr(f, bytes_getitem(f->t, b, sl), "b\"t'\"");
    val_decref(sl);
    obj_decref(&b->obj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_str_intern_and_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_str_repr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_str_utf8_indexing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_str_methods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_float_repr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_format_spec, setup, teardown),
        cmocka_unit_test_setup_teardown(test_percent_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_append_growth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slice_indices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_slicing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dict_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dict_stress, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dict_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seq_repr, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
