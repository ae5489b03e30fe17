/*
 * list.c -- lists and tuples: construction, item and slice access for the
 * VM, lexicographic comparison, the stable sort, and their methods.
 *
 * Any vm_eq / vm_compare / vm_call may run Python code that mutates the
 * list being worked on, so loops over a list re-read its length and items
 * after every such call and hold a reference to the items they compare.
 */
#include "object.h"

#include <stdarg.h>
#include <string.h>

#include "vm.h"

/* ---- construction ------------------------------------------------------------ */

ObjList *list_new(Vm *vm, int64_t cap)
{
    ObjList *l = (ObjList *)obj_alloc(vm, sizeof(ObjList), OBJ_LIST, vm->types[TY_LIST]);
    if (cap > 0) {
        l->items = mem_alloc(sizeof(Value) * (size_t)cap);
        l->cap = cap;
    }
    return l;
}

static void list_reserve(ObjList *l, int64_t need)
{
    if (need <= l->cap)
        return;
    int64_t cap = l->cap < 4 ? 4 : l->cap;
    while (cap < need)
        cap += cap / 2 + 1;
    l->items = mem_realloc(l->items, sizeof(Value) * (size_t)cap);
    l->cap = cap;
}

void list_append_steal(ObjList *l, Value v)
{
    if (l->len == l->cap)
        list_reserve(l, l->len + 1);
    l->items[l->len++] = v;
}

void list_append(ObjList *l, Value v)
{
    val_incref(v);
    list_append_steal(l, v);
}

ObjTuple *tuple_new(Vm *vm, int64_t len)
{
    ObjTuple *tu = (ObjTuple *)obj_alloc(vm, sizeof(ObjTuple) + sizeof(Value) * (size_t)len,
                                         OBJ_TUPLE, vm->types[TY_TUPLE]);
    tu->len = len;
    for (int64_t i = 0; i < len; i++)
        tu->items[i] = VAL_NONE;
    return tu;
}

ObjTuple *tuple_pack(Vm *vm, int n, ...)
{
    ObjTuple *tu = tuple_new(vm, n);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        tu->items[i] = val_dup(va_arg(ap, Value));
    va_end(ap);
    return tu;
}

static ObjList *list_from_items(Vm *vm, const Value *items, int64_t n)
{
    ObjList *l = list_new(vm, n);
    for (int64_t i = 0; i < n; i++)
        l->items[i] = val_dup(items[i]);
    l->len = n;
    return l;
}

static int nkw(const ObjTuple *kwnames)
{
    return kwnames ? (int)kwnames->len : 0;
}

Value list_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (nkw(kw))
        return vm_raise(t, EXC_TypeError, "list() takes no keyword arguments");
    if (argc > 1)
        return vm_raise(t, EXC_TypeError, "list expected at most 1 argument, got %d", argc);
    if (argc == 0)
        return val_obj(&list_new(t->vm, 0)->obj);
    ObjList *l = vm_list_from_iter(t, argv[0]);
    return l ? val_obj(&l->obj) : VAL_ERR;
}

Value tuple_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (nkw(kw))
        return vm_raise(t, EXC_TypeError, "tuple() takes no keyword arguments");
    if (argc > 1)
        return vm_raise(t, EXC_TypeError, "tuple expected at most 1 argument, got %d", argc);
    if (argc == 0)
        return val_obj(&tuple_new(t->vm, 0)->obj);
    if (IS_TUPLE(argv[0]))
        return val_dup(argv[0]);
    ObjList *l = vm_list_from_iter(t, argv[0]);
    if (!l)
        return VAL_ERR;
    ObjTuple *tu = tuple_new(t->vm, l->len);
    memcpy(tu->items, l->items, sizeof(Value) * (size_t)l->len);
    l->len = 0;     /* the tuple took the references */
    obj_decref(&l->obj);
    return val_obj(&tu->obj);
}

/* ---- item access ---------------------------------------------------------------- */

/* A normalised index into a sequence of length n, or -1 (IndexError raised
 * with msg); -2 when key is not an int. */
static int64_t seq_index(Thread *t, Value key, int64_t n, const char *msg)
{
    if (!IS_INTLIKE(key))
        return -2;
    int64_t i = key.as.i;
    if (i < 0)
        i += n;
    if (i < 0 || i >= n) {
        vm_raise(t, EXC_IndexError, "%s", msg);
        return -1;
    }
    return i;
}

/* items[start::step] (count of them) as a new list or tuple. */
static Value slice_items(Vm *vm, const Value *items, int64_t start, int64_t step, int64_t count,
                         bool tuple)
{
    if (tuple) {
        ObjTuple *tu = tuple_new(vm, count);
        for (int64_t k = 0, i = start; k < count; k++, i += step)
            tu->items[k] = val_dup(items[i]);
        return val_obj(&tu->obj);
    }
    ObjList *l = list_new(vm, count);
    for (int64_t k = 0, i = start; k < count; k++, i += step)
        l->items[k] = val_dup(items[i]);
    l->len = count;
    return val_obj(&l->obj);
}

Value list_getitem(Thread *t, ObjList *l, Value key)
{
    int64_t i = seq_index(t, key, l->len, "list index out of range");
    if (i >= 0)
        return val_dup(l->items[i]);
    if (i == -1)
        return VAL_ERR;
    if (!IS_KIND(key, OBJ_SLICE))
        return vm_raise(t, EXC_TypeError, "list indices must be integers or slices, not %s",
                        vm_type_name(t->vm, key));
    int64_t start, stop, step, n;
    if (!slice_indices(t, AS_SLICE(key), l->len, &start, &stop, &step, &n))
        return VAL_ERR;
    return slice_items(t->vm, l->items, start, step, n, false);
}

Value tuple_getitem(Thread *t, ObjTuple *tu, Value key)
{
    int64_t i = seq_index(t, key, tu->len, "tuple index out of range");
    if (i >= 0)
        return val_dup(tu->items[i]);
    if (i == -1)
        return VAL_ERR;
    if (!IS_KIND(key, OBJ_SLICE))
        return vm_raise(t, EXC_TypeError, "tuple indices must be integers or slices, not %s",
                        vm_type_name(t->vm, key));
    int64_t start, stop, step, n;
    if (!slice_indices(t, AS_SLICE(key), tu->len, &start, &stop, &step, &n))
        return VAL_ERR;
    if (step == 1 && n == tu->len)
        return val_dup(val_obj(&tu->obj));
    return slice_items(t->vm, tu->items, start, step, n, true);
}

/* The items of v as a fresh array of owned references (for slice
 * assignment: a snapshot, so l[:] = l works). */
static Value *materialize(Thread *t, Value v, int64_t *n)
{
    const Value *src;
    int64_t len;
    ObjList *tmp = NULL;
    if (IS_LIST(v)) {
        src = AS_LIST(v)->items;
        len = AS_LIST(v)->len;
    } else if (IS_TUPLE(v)) {
        src = AS_TUPLE(v)->items;
        len = AS_TUPLE(v)->len;
    } else {
        if (!IS_OBJ(v)) {
            vm_raise(t, EXC_TypeError, "can only assign an iterable");
            return NULL;
        }
        tmp = vm_list_from_iter(t, v);
        if (!tmp)
            return NULL;
        src = tmp->items;
        len = tmp->len;
    }
    Value *out = mem_alloc(sizeof(Value) * (size_t)(len ? len : 1));
    for (int64_t i = 0; i < len; i++)
        out[i] = val_dup(src[i]);
    *n = len;
    if (tmp)
        obj_decref(&tmp->obj);
    return out;
}

int list_setitem(Thread *t, ObjList *l, Value key, Value v)
{
    int64_t i = seq_index(t, key, l->len, "list assignment index out of range");
    if (i >= 0) {
        Value old = l->items[i];
        l->items[i] = val_dup(v);
        val_decref(old);
        return 0;
    }
    if (i == -1)
        return -1;
    if (!IS_KIND(key, OBJ_SLICE)) {
        vm_raise(t, EXC_TypeError, "list indices must be integers or slices, not %s",
                 vm_type_name(t->vm, key));
        return -1;
    }
    int64_t nnew;
    Value *fresh = materialize(t, v, &nnew);
    if (!fresh)
        return -1;
    /* indices computed after materialising: the iterable may have changed l */
    int64_t start, stop, step, n;
    if (!slice_indices(t, AS_SLICE(key), l->len, &start, &stop, &step, &n)) {
        for (int64_t k = 0; k < nnew; k++)
            val_decref(fresh[k]);
        mem_free(fresh);
        return -1;
    }
    if (step == 1) {
        Value *old = mem_alloc(sizeof(Value) * (size_t)(n ? n : 1));
        memcpy(old, l->items + start, sizeof(Value) * (size_t)n);
        int64_t newlen = l->len - n + nnew;
        list_reserve(l, newlen);
        memmove(l->items + start + nnew, l->items + start + n,
                sizeof(Value) * (size_t)(l->len - start - n));
        memcpy(l->items + start, fresh, sizeof(Value) * (size_t)nnew);
        l->len = newlen;
        mem_free(fresh);
        for (int64_t k = 0; k < n; k++)
            val_decref(old[k]);
        mem_free(old);
        return 0;
    }
    if (nnew != n) {
        for (int64_t k = 0; k < nnew; k++)
            val_decref(fresh[k]);
        mem_free(fresh);
        vm_raise(t, EXC_ValueError,
                 "attempt to assign sequence of size %lld to extended slice of size %lld",
                 (long long)nnew, (long long)n);
        return -1;
    }
    for (int64_t k = 0, j = start; k < n; k++, j += step) {
        Value old = l->items[j];
        l->items[j] = fresh[k];
        fresh[k] = old;     /* decref'd below, once l is consistent */
    }
    for (int64_t k = 0; k < n; k++)
        val_decref(fresh[k]);
    mem_free(fresh);
    return 0;
}

int list_delitem(Thread *t, ObjList *l, Value key)
{
    int64_t i = seq_index(t, key, l->len, "list assignment index out of range");
    if (i >= 0) {
        Value old = l->items[i];
        memmove(l->items + i, l->items + i + 1, sizeof(Value) * (size_t)(l->len - i - 1));
        l->len--;
        val_decref(old);
        return 0;
    }
    if (i == -1)
        return -1;
    if (!IS_KIND(key, OBJ_SLICE)) {
        vm_raise(t, EXC_TypeError, "list indices must be integers or slices, not %s",
                 vm_type_name(t->vm, key));
        return -1;
    }
    int64_t start, stop, step, n;
    if (!slice_indices(t, AS_SLICE(key), l->len, &start, &stop, &step, &n))
        return -1;
    if (n == 0)
        return 0;
    if (step < 0) {
        start = start + step * (n - 1);
        step = -step;
    }
    Value *old = mem_alloc(sizeof(Value) * (size_t)n);
    int64_t w = start, k = 0;
    for (int64_t r = start; r < l->len; r++) {
        if (k < n && r == start + k * step)
            old[k++] = l->items[r];
        else
            l->items[w++] = l->items[r];
    }
    l->len = w;
    for (k = 0; k < n; k++)
        val_decref(old[k]);
    mem_free(old);
    return 0;
}

/* ---- concatenation and repetition ----------------------------------------------- */

ObjList *list_concat(Vm *vm, const ObjList *a, const ObjList *b)
{
    ObjList *l = list_new(vm, a->len + b->len);
    for (int64_t i = 0; i < a->len; i++)
        l->items[l->len++] = val_dup(a->items[i]);
    for (int64_t i = 0; i < b->len; i++)
        l->items[l->len++] = val_dup(b->items[i]);
    return l;
}

ObjTuple *tuple_concat(Vm *vm, const ObjTuple *a, const ObjTuple *b)
{
    ObjTuple *tu = tuple_new(vm, a->len + b->len);
    for (int64_t i = 0; i < a->len; i++)
        tu->items[i] = val_dup(a->items[i]);
    for (int64_t i = 0; i < b->len; i++)
        tu->items[a->len + i] = val_dup(b->items[i]);
    return tu;
}

Value seq_concat(Thread *t, Value a, Value b)
{
    Vm *vm = t->vm;
    if (IS_LIST(a)) {
        if (IS_LIST(b))
            return val_obj(&list_concat(vm, AS_LIST(a), AS_LIST(b))->obj);
        return vm_raise(t, EXC_TypeError, "can only concatenate list (not \"%s\") to list",
                        vm_type_name(vm, b));
    }
    if (IS_TUPLE(a)) {
        if (IS_TUPLE(b))
            return val_obj(&tuple_concat(vm, AS_TUPLE(a), AS_TUPLE(b))->obj);
        return vm_raise(t, EXC_TypeError, "can only concatenate tuple (not \"%s\") to tuple",
                        vm_type_name(vm, b));
    }
    if (IS_STR(a)) {
        if (IS_STR(b))
            return val_obj(&str_concat(vm, AS_STR(a), AS_STR(b))->obj);
        return vm_raise(t, EXC_TypeError, "can only concatenate str (not \"%s\") to str",
                        vm_type_name(vm, b));
    }
    if (IS_BYTES(a)) {
        if (IS_BYTES(b))
            return val_obj(&bytes_concat(vm, AS_BYTES(a), AS_BYTES(b))->obj);
        return vm_raise(t, EXC_TypeError, "can't concat %s to bytes", vm_type_name(vm, b));
    }
    return vm_raise(t, EXC_TypeError, "unsupported operand type(s) for +: '%s' and '%s'",
                    vm_type_name(vm, a), vm_type_name(vm, b));
}

#define SEQ_MAX_ITEMS ((int64_t)1 << 40)

Value list_repeat(Thread *t, ObjList *l, int64_t n)
{
    if (n <= 0 || l->len == 0)
        return val_obj(&list_new(t->vm, 0)->obj);
    if (l->len > SEQ_MAX_ITEMS / n)
        return vm_raise_empty(t, EXC_MemoryError);
    if (!vm_check_alloc(t, (double)l->len * (double)n * sizeof(Value)))
        return VAL_ERR;
    int64_t len = l->len;
    ObjList *r = list_new(t->vm, len * n);
    for (int64_t k = 0; k < n; k++)
        for (int64_t i = 0; i < len; i++)
            r->items[r->len++] = val_dup(l->items[i]);
    return val_obj(&r->obj);
}

Value tuple_repeat(Thread *t, ObjTuple *tu, int64_t n)
{
    if (n == 1)
        return val_dup(val_obj(&tu->obj));
    if (n <= 0 || tu->len == 0)
        return val_obj(&tuple_new(t->vm, 0)->obj);
    if (tu->len > SEQ_MAX_ITEMS / n)
        return vm_raise_empty(t, EXC_MemoryError);
    if (!vm_check_alloc(t, (double)tu->len * (double)n * sizeof(Value)))
        return VAL_ERR;
    ObjTuple *r = tuple_new(t->vm, tu->len * n);
    for (int64_t k = 0; k < n; k++)
        for (int64_t i = 0; i < tu->len; i++)
            r->items[k * tu->len + i] = val_dup(tu->items[i]);
    return val_obj(&r->obj);
}

int list_extend(Thread *t, ObjList *l, Value iterable)
{
    if (IS_LIST(iterable) || IS_TUPLE(iterable)) {
        const Value *src = IS_LIST(iterable) ? AS_LIST(iterable)->items : AS_TUPLE(iterable)->items;
        int64_t n = IS_LIST(iterable) ? AS_LIST(iterable)->len : AS_TUPLE(iterable)->len;
        list_reserve(l, l->len + n);
        /* src may be l->items itself: re-read after the reserve */
        if (IS_LIST(iterable))
            src = AS_LIST(iterable)->items;
        for (int64_t i = 0; i < n; i++)
            l->items[l->len + i] = val_dup(src[i]);
        l->len += n;
        return 0;
    }
    Value it = vm_iter(t, iterable);
    if (IS_ERR(it))
        return -1;
    for (;;) {
        Value v = vm_next(t, it);
        if (IS_ERR(v)) {
            val_decref(it);
            return IS_ERR(t->exc) ? 0 : -1;
        }
        list_append_steal(l, v);
    }
}

/* ---- comparison ---------------------------------------------------------------- */

/* Identity (CPython's `is` shortcut in container comparisons); unboxed
 * ints, bools and None compare by value, floats never (nan != nan). */
static bool val_same(Value a, Value b)
{
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case V_NONE: return true;
    case V_BOOL:
    case V_INT: return a.as.i == b.as.i;
    case V_OBJ: return a.as.o == b.as.o;
    default: return false;
    }
}

/* Equality of two items with the identity shortcut.  1 / 0 / -1. */
static int item_eq(Thread *t, Value a, Value b)
{
    if (val_same(a, b))
        return 1;
    val_incref(a);
    val_incref(b);
    int r = vm_eq(t, a, b);
    val_decref(a);
    val_decref(b);
    return r;
}

static int cmp_lengths(int64_t na, int64_t nb, int op)
{
    switch (op) {
    case CMP_LT: return na < nb;
    case CMP_LE: return na <= nb;
    case CMP_EQ: return na == nb;
    case CMP_NE: return na != nb;
    case CMP_GT: return na > nb;
    default: return na >= nb;
    }
}

static int seq_compare_unguarded(Thread *t, const Value *a, int64_t na, const Value *b, int64_t nb, int op)
{
    if ((op == CMP_EQ || op == CMP_NE) && na != nb)
        return op == CMP_NE;
    int64_t i = 0;
    for (; i < na && i < nb; i++) {
        int r = item_eq(t, a[i], b[i]);
        if (r < 0)
            return -1;
        if (!r)
            break;
    }
    if (i >= na || i >= nb)
        return cmp_lengths(na, nb, op);
    if (op == CMP_EQ)
        return 0;
    if (op == CMP_NE)
        return 1;
    return vm_compare(t, a[i], b[i], op);
}

int seq_compare(Thread *t, const Value *a, int64_t na, const Value *b, int64_t nb, int op)
{
    if (!vm_enter_recursive(t, "in comparison"))
        return -1;
    int r = seq_compare_unguarded(t, a, na, b, nb, op);
    vm_leave_recursive(t);
    return r;
}

static bool seq_view(Value v, const Value **items, int64_t *n)
{
    if (IS_LIST(v)) {
        *items = AS_LIST(v)->items;
        *n = AS_LIST(v)->len;
        return true;
    }
    if (IS_TUPLE(v)) {
        *items = AS_TUPLE(v)->items;
        *n = AS_TUPLE(v)->len;
        return true;
    }
    return false;
}

static int seq_richcompare_unguarded(Thread *t, Value a, Value b, int op)
{
    const Value *ia, *ib;
    int64_t na, nb;
    if (!seq_view(a, &ia, &na) || !seq_view(b, &ib, &nb)) {
        vm_raise(t, EXC_TypeError, "seq_richcompare: not a list or tuple");
        return -1;
    }
    if ((op == CMP_EQ || op == CMP_NE) && na != nb)
        return op == CMP_NE;
    val_incref(a);
    val_incref(b);
    int64_t i = 0;
    int r = 0;
    for (;; i++) {
        seq_view(a, &ia, &na);   /* __eq__ may have changed either list */
        seq_view(b, &ib, &nb);
        if (i >= na || i >= nb)
            break;
        r = item_eq(t, ia[i], ib[i]);
        if (r <= 0)
            break;
    }
    seq_view(a, &ia, &na);
    seq_view(b, &ib, &nb);
    if (r < 0) {
    } else if (i >= na || i >= nb) {
        r = cmp_lengths(na, nb, op);
    } else if (op == CMP_EQ) {
        r = 0;
    } else if (op == CMP_NE) {
        r = 1;
    } else {
        Value x = val_dup(ia[i]), y = val_dup(ib[i]);
        r = vm_compare(t, x, y, op);
        val_decref(x);
        val_decref(y);
    }
    val_decref(a);
    val_decref(b);
    return r;
}

int seq_richcompare(Thread *t, Value a, Value b, int op)
{
    if (!vm_enter_recursive(t, "in comparison"))
        return -1;
    int r = seq_richcompare_unguarded(t, a, b, op);
    vm_leave_recursive(t);
    return r;
}

int seq_contains(Thread *t, Value seq, Value item)
{
    const Value *items;
    int64_t n;
    if (!seq_view(seq, &items, &n)) {
        vm_raise(t, EXC_TypeError, "seq_contains: not a list or tuple");
        return -1;
    }
    for (int64_t i = 0;; i++) {
        seq_view(seq, &items, &n);
        if (i >= n)
            return 0;
        int r = item_eq(t, items[i], item);
        if (r)
            return r;
    }
}

/* CPython's tuple hash (xxHash64 primes and rounds). */
static int tuple_hash_unguarded(Thread *t, ObjTuple *tu, uint64_t *out)
{
    if (tu->hash) {
        *out = tu->hash;
        return 0;
    }
    const uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL,
                   p5 = 2870177450012600261ULL;
    uint64_t acc = p5;
    for (int64_t i = 0; i < tu->len; i++) {
        uint64_t lane;
        if (vm_hash(t, tu->items[i], &lane) < 0)
            return -1;
        acc += lane * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    acc += (uint64_t)tu->len ^ (p5 ^ 3527539UL);
    if (acc == (uint64_t)-1)
        acc = 1546275796;
    tu->hash = acc ? acc : 1;   /* 0 marks "not computed" */
    *out = acc;
    return 0;
}

int tuple_hash(Thread *t, ObjTuple *tu, uint64_t *out)
{
    if (!vm_enter_recursive(t, "while hashing"))
        return -1;
    int r = tuple_hash_unguarded(t, tu, out);
    vm_leave_recursive(t);
    return r;
}

/* ---- sort ------------------------------------------------------------------------ */

enum { SORT_GENERIC, SORT_INT, SORT_FLOAT, SORT_STR };

typedef struct SortCtx {
    Thread *t;
    const Value *keys;
    int kind;
    bool reverse;
} SortCtx;

/* keys[a] < keys[b]: 1 / 0 / -1. */
static int sort_lt(SortCtx *c, int64_t a, int64_t b)
{
    Value x = c->keys[a], y = c->keys[b];
    switch (c->kind) {
    case SORT_INT: return x.as.i < y.as.i;
    case SORT_FLOAT: return x.as.f < y.as.f;
    case SORT_STR: return str_cmp(AS_STR(x), AS_STR(y)) < 0;
    default: return vm_compare(c->t, x, y, CMP_LT);
    }
}

/* Should item b come before item a (strictly)?  Stability: equal keys keep
 * their order, also with reverse (CPython reverses, sorts, reverses). */
static int sort_before(SortCtx *c, int64_t b, int64_t a)
{
    return c->reverse ? sort_lt(c, a, b) : sort_lt(c, b, a);
}

/* Stable merge sort of the index array p[0..n) using tmp; -1 on error. */
static int merge_sort(SortCtx *c, int64_t *p, int64_t *tmp, int64_t n)
{
    if (n < 2)
        return 0;
    if (n <= 8) {   /* insertion sort: stable, few comparisons on short runs */
        for (int64_t i = 1; i < n; i++) {
            int64_t x = p[i], j = i;
            while (j > 0) {
                int r = sort_before(c, x, p[j - 1]);
                if (r < 0)
                    return -1;
                if (!r)
                    break;
                p[j] = p[j - 1];
                j--;
            }
            p[j] = x;
        }
        return 0;
    }
    int64_t mid = n / 2;
    if (merge_sort(c, p, tmp, mid) < 0 || merge_sort(c, p + mid, tmp, n - mid) < 0)
        return -1;
    int r = sort_before(c, p[mid], p[mid - 1]);
    if (r <= 0)
        return r;   /* already in order (presorted input is linear) */
    memcpy(tmp, p, sizeof(int64_t) * (size_t)mid);
    int64_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) {
        r = sort_before(c, p[j], tmp[i]);
        if (r < 0) {
            /* put the unmerged left half back so p stays a permutation */
            memcpy(p + k, tmp + i, sizeof(int64_t) * (size_t)(mid - i));
            return -1;
        }
        p[k++] = r ? p[j++] : tmp[i++];
    }
    while (i < mid)
        p[k++] = tmp[i++];
    return 0;
}

int list_sort(Thread *t, ObjList *l, Value key, bool reverse)
{
    Vm *vm = t->vm;
    /* Detach the items as CPython does, so that mutation during the sort is
     * harmless and detectable. */
    Value *items = l->items;
    int64_t n = l->len, cap = l->cap;
    l->items = NULL;
    l->len = l->cap = 0;
    Value *keys = items;
    bool has_key = !IS_ERR(key) && !IS_NONE(key);
    int status = 0;
    if (has_key) {
        keys = mem_alloc(sizeof(Value) * (size_t)(n ? n : 1));
        for (int64_t i = 0; i < n; i++) {
            keys[i] = vm_call(t, key, 1, &items[i], NULL);
            if (IS_ERR(keys[i])) {
                for (int64_t k = 0; k < i; k++)
                    val_decref(keys[k]);
                mem_free(keys);
                keys = NULL;
                status = -1;
                break;
            }
        }
    }
    int64_t *perm = NULL;
    if (status == 0 && n > 1) {
        SortCtx c = {t, keys, SORT_INT, reverse};
        for (int64_t i = 0; i < n && c.kind != SORT_GENERIC; i++) {
            int k = IS_INTLIKE(keys[i]) ? SORT_INT : IS_FLOAT(keys[i]) ? SORT_FLOAT
                  : IS_STR(keys[i]) ? SORT_STR : SORT_GENERIC;
            if (i == 0)
                c.kind = k;
            else if (k != c.kind)
                c.kind = SORT_GENERIC;
        }
        perm = mem_alloc(sizeof(int64_t) * (size_t)n);
        int64_t *tmp = mem_alloc(sizeof(int64_t) * (size_t)(n / 2 + 1));
        for (int64_t i = 0; i < n; i++)
            perm[i] = i;
        status = merge_sort(&c, perm, tmp, n);
        mem_free(tmp);
        if (status == 0) {
            Value *sorted = mem_alloc(sizeof(Value) * (size_t)n);
            for (int64_t i = 0; i < n; i++)
                sorted[i] = items[perm[i]];
            memcpy(items, sorted, sizeof(Value) * (size_t)n);
            mem_free(sorted);
        }
        mem_free(perm);
    }
    if (has_key && keys) {
        for (int64_t i = 0; i < n; i++)
            val_decref(keys[i]);
        mem_free(keys);
    }
    /* reattach; whatever was put in the list meanwhile is discarded */
    Value *junk = l->items;
    int64_t njunk = l->len;
    bool modified = junk != NULL || njunk != 0;
    l->items = items;
    l->len = n;
    l->cap = cap;
    for (int64_t i = 0; i < njunk; i++)
        val_decref(junk[i]);
    mem_free(junk);
    if (status == 0 && modified) {
        vm_raise(t, EXC_ValueError, "list modified during sort");
        status = -1;
    }
    (void)vm;
    return status;
}

/* ---- list methods ---------------------------------------------------------------- */

#define SELF_LIST(name)                                                                    \
    if (!IS_LIST(self))                                                                    \
        return vm_raise(t, EXC_TypeError,                                                  \
                        "descriptor '" name "' for 'list' objects doesn't apply to a '%s' object", \
                        vm_type_name(t->vm, self));                                        \
    ObjList *l = AS_LIST(self)

static Value m_append(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_LIST("append");
    if (!arg_count(t, "list.append", argc, kw, 1, 1))
        return VAL_ERR;
    list_append(l, argv[0]);
    return VAL_NONE;
}

static Value m_extend(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_LIST("extend");
    if (!arg_count(t, "list.extend", argc, kw, 1, 1))
        return VAL_ERR;
    return list_extend(t, l, argv[0]) < 0 ? VAL_ERR : VAL_NONE;
}

static bool int_arg(Thread *t, Value v, int64_t *out)
{
    if (!IS_INTLIKE(v)) {
        vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                 vm_type_name(t->vm, v));
        return false;
    }
    *out = v.as.i;
    return true;
}

static Value m_insert(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_LIST("insert");
    int64_t i;
    if (!arg_count(t, "insert", argc, kw, 2, 2) || !int_arg(t, argv[0], &i))
        return VAL_ERR;
    if (i < 0) {
        i += l->len;
        if (i < 0)
            i = 0;
    } else if (i > l->len) {
        i = l->len;
    }
    list_reserve(l, l->len + 1);
    memmove(l->items + i + 1, l->items + i, sizeof(Value) * (size_t)(l->len - i));
    l->items[i] = val_dup(argv[1]);
    l->len++;
    return VAL_NONE;
}

static Value m_pop(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_LIST("pop");
    int64_t i = -1;
    if (!arg_count(t, "pop", argc, kw, 0, 1) || (argc == 1 && !int_arg(t, argv[0], &i)))
        return VAL_ERR;
    if (l->len == 0)
        return vm_raise(t, EXC_IndexError, "pop from empty list");
    if (i < 0)
        i += l->len;
    if (i < 0 || i >= l->len)
        return vm_raise(t, EXC_IndexError, "pop index out of range");
    Value v = l->items[i];
    memmove(l->items + i, l->items + i + 1, sizeof(Value) * (size_t)(l->len - i - 1));
    l->len--;
    return v;
}

/* First index in [start, stop) whose item equals v: >= 0, -1 absent, -2 error. */
static int64_t list_find(Thread *t, ObjList *l, Value v, int64_t start, int64_t stop)
{
    for (int64_t i = start; i < stop && i < l->len; i++) {
        int r = item_eq(t, l->items[i], v);
        if (r < 0)
            return -2;
        if (r)
            return i;
    }
    return -1;
}

static Value m_remove(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_LIST("remove");
    if (!arg_count(t, "list.remove", argc, kw, 1, 1))
        return VAL_ERR;
    int64_t i = list_find(t, l, argv[0], 0, INT64_MAX);
    if (i == -2)
        return VAL_ERR;
    if (i < 0)
        return vm_raise(t, EXC_ValueError, "list.remove(x): x not in list");
    Value old = l->items[i];
    memmove(l->items + i, l->items + i + 1, sizeof(Value) * (size_t)(l->len - i - 1));
    l->len--;
    val_decref(old);
    return VAL_NONE;
}

/* index(x[, start[, stop]]) bounds, clamped as CPython's list.index. */
static bool index_bounds(Thread *t, int argc, const Value *argv, int64_t len, int64_t *start,
                         int64_t *stop)
{
    *start = 0;
    *stop = INT64_MAX;
    if (argc > 1 && !int_arg(t, argv[1], start))
        return false;
    if (argc > 2 && !int_arg(t, argv[2], stop))
        return false;
    if (*start < 0) {
        *start += len;
        if (*start < 0)
            *start = 0;
    }
    if (*stop < 0) {
        *stop += len;
        if (*stop < 0)
            *stop = 0;
    }
    return true;
}

static Value not_in(Thread *t, Value v, const char *what)
{
    Value r = vm_repr(t, v);
    if (IS_ERR(r))
        return VAL_ERR;
    vm_raise(t, EXC_ValueError, "%s is not in %s", AS_STR(r)->chars, what);
    val_decref(r);
    return VAL_ERR;
}

static Value m_index(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_LIST("index");
    int64_t start, stop;
    if (!arg_count(t, "index", argc, kw, 1, 3) ||
        !index_bounds(t, argc, argv, l->len, &start, &stop))
        return VAL_ERR;
    int64_t i = list_find(t, l, argv[0], start, stop);
    if (i == -2)
        return VAL_ERR;
    if (i < 0)
        return not_in(t, argv[0], "list");
    return val_int(i);
}

static Value m_count(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_LIST("count");
    if (!arg_count(t, "list.count", argc, kw, 1, 1))
        return VAL_ERR;
    int64_t n = 0;
    for (int64_t i = 0; i < l->len; i++) {
        int r = item_eq(t, l->items[i], argv[0]);
        if (r < 0)
            return VAL_ERR;
        n += r;
    }
    return val_int(n);
}

static Value m_clear(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_LIST("clear");
    if (!arg_count(t, "list.clear", argc, kw, 0, 0))
        return VAL_ERR;
    Value *items = l->items;
    int64_t n = l->len;
    l->items = NULL;
    l->len = l->cap = 0;
    for (int64_t i = 0; i < n; i++)
        val_decref(items[i]);
    mem_free(items);
    return VAL_NONE;
}

static Value m_copy(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_LIST("copy");
    if (!arg_count(t, "list.copy", argc, kw, 0, 0))
        return VAL_ERR;
    return val_obj(&list_from_items(t->vm, l->items, l->len)->obj);
}

static Value m_reverse(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_LIST("reverse");
    if (!arg_count(t, "list.reverse", argc, kw, 0, 0))
        return VAL_ERR;
    for (int64_t a = 0, b = l->len - 1; a < b; a++, b--) {
        Value tmp = l->items[a];
        l->items[a] = l->items[b];
        l->items[b] = tmp;
    }
    return VAL_NONE;
}

static Value m_sort(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_LIST("sort");
    if (argc - nkw(kw) > 0)
        return vm_raise(t, EXC_TypeError, "sort() takes no positional arguments");
    static const char *const names[] = {"key", "reverse"};
    Value a[2];
    /* keyword-only: parse the keywords as if passed positionally by name */
    if (!arg_parse(t, "sort", argc, argv, kw, names, 0, 2, a))
        return VAL_ERR;
    int rev = 0;
    if (!IS_ERR(a[1])) {
        if (IS_FLOAT(a[1]))
            return vm_raise(t, EXC_TypeError, "'float' object cannot be interpreted as an integer");
        if ((rev = vm_truthy(t, a[1])) < 0)
            return VAL_ERR;
    }
    return list_sort(t, l, a[0], rev) < 0 ? VAL_ERR : VAL_NONE;
}

const NativeDef list_methods[] = {
    {"append", m_append},
    {"extend", m_extend},
    {"insert", m_insert},
    {"pop", m_pop},
    {"remove", m_remove},
    {"index", m_index},
    {"count", m_count},
    {"clear", m_clear},
    {"copy", m_copy},
    {"reverse", m_reverse},
    {"sort", m_sort},
    {NULL, NULL},
};

/* ---- tuple methods ---------------------------------------------------------------- */

#define SELF_TUPLE(name)                                                                   \
    if (!IS_TUPLE(self))                                                                   \
        return vm_raise(t, EXC_TypeError,                                                  \
                        "descriptor '" name "' for 'tuple' objects doesn't apply to a '%s' object", \
                        vm_type_name(t->vm, self));                                        \
    ObjTuple *tu = AS_TUPLE(self)

static Value m_tuple_index(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_TUPLE("index");
    int64_t start, stop;
    if (!arg_count(t, "index", argc, kw, 1, 3) ||
        !index_bounds(t, argc, argv, tu->len, &start, &stop))
        return VAL_ERR;
    for (int64_t i = start; i < stop && i < tu->len; i++) {
        int r = item_eq(t, tu->items[i], argv[0]);
        if (r < 0)
            return VAL_ERR;
        if (r)
            return val_int(i);
    }
    return vm_raise(t, EXC_ValueError, "tuple.index(x): x not in tuple");
}

static Value m_tuple_count(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_TUPLE("count");
    if (!arg_count(t, "tuple.count", argc, kw, 1, 1))
        return VAL_ERR;
    int64_t n = 0;
    for (int64_t i = 0; i < tu->len; i++) {
        int r = item_eq(t, tu->items[i], argv[0]);
        if (r < 0)
            return VAL_ERR;
        n += r;
    }
    return val_int(n);
}

const NativeDef tuple_methods[] = {
    {"index", m_tuple_index},
    {"count", m_tuple_count},
    {NULL, NULL},
};
