/*
 * ops.c -- the object protocol: what every operator, builtin and native
 * means for each kind of value (repr, truth, equality, ordering, hashing,
 * arithmetic, iteration, item access), with user classes' dunder methods.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "code.h"
#include "vm.h"

/* Calls the dunder method *fn (found on self's class) as fn(self, args...). */
static Value call_dunder(Thread *t, Value self, Value fn, int argc, const Value *argv)
{
    Value args[4];
    args[0] = self;
    for (int i = 0; i < argc && i < 3; i++)
        args[i + 1] = argv[i];
    if (IS_KIND(fn, OBJ_NATIVE) && AS_NATIVE(fn)->is_method)
        return AS_NATIVE(fn)->fn(t, self, argc, argv, NULL);
    return vm_call(t, fn, argc + 1, args, NULL);
}

/* The user-level method `name` of an instance's class, or NULL. */
static Value *user_method(Value v, ObjStr *name)
{
    if (!IS_INSTANCE(v))
        return NULL;
    return vm_class_lookup(v.as.o->cls, name);
}

static Value sval(Vm *vm, const char *s) { return val_obj(&str_from_cstr(vm, s)->obj); }

/* ---- repr and str ---------------------------------------------------------- */

static Value default_repr(Thread *t, Value v)
{
    Vm *vm = t->vm;
    char buf[256];
    Obj *o = v.as.o;
    switch (o->kind) {
    case OBJ_CLASS: {
        ObjClass *c = (ObjClass *)o;
        Value *mod = dict_find_str(c->dict, vm->s_module);
        if (mod && IS_STR(*mod) && strcmp(AS_STR(*mod)->chars, "builtins") != 0)
            snprintf(buf, sizeof buf, "<class '%s.%s'>", AS_STR(*mod)->chars, c->name->chars);
        else
            snprintf(buf, sizeof buf, "<class '%s'>", c->name->chars);
        break;
    }
    case OBJ_FUNC:
        snprintf(buf, sizeof buf, "<function %s at %p>", ((ObjFunc *)o)->code->qualname->chars, (void *)o);
        break;
    case OBJ_NATIVE:
        snprintf(buf, sizeof buf, "<built-in function %s>", ((ObjNative *)o)->name);
        break;
    case OBJ_BOUND: {
        ObjBound *b = (ObjBound *)o;
        Value r = vm_repr(t, b->self);
        if (IS_ERR(r))
            return r;
        const char *fname = IS_KIND(b->func, OBJ_FUNC) ? AS_FUNC(b->func)->code->name->chars
                            : IS_KIND(b->func, OBJ_NATIVE) ? AS_NATIVE(b->func)->name : "?";
        StrBuf sb;
        sb_init(&sb);
        sb_printf(&sb, "<bound method %s.%s of %s>", vm_type_name(vm, b->self), fname, AS_STR(r)->chars);
        val_decref(r);
        return val_obj(&sb_to_str(vm, &sb)->obj);
    }
    case OBJ_MODULE:
        snprintf(buf, sizeof buf, "<module '%s'>", ((ObjModule *)o)->name->chars);
        break;
    case OBJ_RANGE: {
        ObjRange *r = (ObjRange *)o;
        if (r->step == 1)
            snprintf(buf, sizeof buf, "range(%lld, %lld)", (long long)r->start, (long long)r->stop);
        else
            snprintf(buf, sizeof buf, "range(%lld, %lld, %lld)", (long long)r->start, (long long)r->stop,
                     (long long)r->step);
        break;
    }
    case OBJ_SLICE: {
        ObjSlice *s = (ObjSlice *)o;
        Value parts[3] = {s->start, s->stop, s->step};
        StrBuf sb;
        sb_init(&sb);
        sb_puts(&sb, "slice(");
        for (int i = 0; i < 3; i++) {
            Value r = vm_repr(t, parts[i]);
            if (IS_ERR(r)) {
                sb_fini(&sb);
                return r;
            }
            if (i)
                sb_puts(&sb, ", ");
            sb_append(&sb, AS_STR(r)->chars, AS_STR(r)->len);
            val_decref(r);
        }
        sb_putc(&sb, ')');
        return val_obj(&sb_to_str(vm, &sb)->obj);
    }
    case OBJ_INSTANCE: {
        Value *mod = dict_find_str(o->cls->dict, vm->s_module);
        snprintf(buf, sizeof buf, "<%s.%s object at %p>", mod && IS_STR(*mod) ? AS_STR(*mod)->chars : "__main__",
                 o->cls->name->chars, (void *)o);
        break;
    }
    default:
        snprintf(buf, sizeof buf, "<%s object at %p>", o->cls ? o->cls->name->chars : "?", (void *)o);
        break;
    }
    return sval(vm, buf);
}

static Value check_str_result(Thread *t, Value r, const char *what)
{
    if (IS_ERR(r) || IS_STR(r))
        return r;
    const char *tn = vm_type_name(t->vm, r);
    val_decref(r);
    return vm_raise(t, EXC_TypeError, "%s returned non-string (type %s)", what, tn);
}

Value vm_repr(Thread *t, Value v)
{
    Vm *vm = t->vm;
    char buf[64];
    switch (v.kind) {
    case V_NONE:
        return sval(vm, "None");
    case V_BOOL:
        return sval(vm, v.as.i ? "True" : "False");
    case V_INT: {
        /* digits backwards: snprintf was a tenth of a str(i) loop */
        char *end = buf + sizeof buf, *p = end;
        uint64_t u = v.as.i < 0 ? 0 - (uint64_t)v.as.i : (uint64_t)v.as.i;
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v.as.i < 0)
            *--p = '-';
        return val_obj(&str_new(vm, p, end - p)->obj);
    }
    case V_FLOAT:
        return val_obj(&float_repr(vm, v.as.f)->obj);
    case V_OBJ:
        break;
    default:
        return vm_raise(t, EXC_RuntimeError, "repr of an absent value");
    }
    switch (v.as.o->kind) {
    case OBJ_STR:
        return val_obj(&str_repr(vm, AS_STR(v))->obj);
    case OBJ_BYTES:
        return val_obj(&bytes_repr(vm, AS_BYTES(v))->obj);
    case OBJ_LIST:
    case OBJ_TUPLE:
    case OBJ_DICT:
    case OBJ_SET:
        return seq_repr(t, v);
    default:
        break;
    }
    Value *m = vm_class_lookup(v.as.o->cls, vm->s_repr);
    if (m)
        return check_str_result(t, call_dunder(t, v, *m, 0, NULL), "__repr__");
    return default_repr(t, v);
}

Value vm_str(Thread *t, Value v)
{
    Vm *vm = t->vm;
    if (IS_STR(v))
        return val_dup(v);
    if (v.kind == V_OBJ && (v.as.o->kind == OBJ_INSTANCE || v.as.o->kind == OBJ_HANDLE)) {
        Value *m = vm_class_lookup(v.as.o->cls, vm->s_str);
        if (m)
            return check_str_result(t, call_dunder(t, v, *m, 0, NULL), "__str__");
    }
    return vm_repr(t, v);
}

/* ---- truth, equality, ordering, hashing ------------------------------------------ */

int vm_truthy(Thread *t, Value v)
{
    switch (v.kind) {
    case V_NONE: return 0;
    case V_BOOL:
    case V_INT: return v.as.i != 0;
    case V_FLOAT: return v.as.f != 0.0;
    case V_OBJ: break;
    default: return 0;
    }
    Obj *o = v.as.o;
    switch (o->kind) {
    case OBJ_STR: return ((ObjStr *)o)->len != 0;
    case OBJ_BYTES: return ((ObjBytes *)o)->len != 0;
    case OBJ_LIST: return ((ObjList *)o)->len != 0;
    case OBJ_TUPLE: return ((ObjTuple *)o)->len != 0;
    case OBJ_DICT:
    case OBJ_SET: return ((ObjDict *)o)->len != 0;
    case OBJ_RANGE: return vm_len(t, v) != 0;
    case OBJ_HANDLE:      /* native classes may define the dunders too */
    case OBJ_INSTANCE: {
        Vm *vm = t->vm;
        Value *m = vm_class_lookup(o->cls, vm->s_bool);
        if (m) {
            Value r = call_dunder(t, v, *m, 0, NULL);
            if (IS_ERR(r))
                return -1;
            if (!IS_BOOL(r)) {
                val_decref(r);
                vm_raise(t, EXC_TypeError, "__bool__ should return bool, returned %s", vm_type_name(vm, r));
                return -1;
            }
            return (int)r.as.i;
        }
        m = vm_class_lookup(o->cls, vm->s_len);
        if (m) {
            int64_t n = vm_len(t, v);
            return n < 0 ? -1 : n != 0;
        }
        return 1;
    }
    default:
        return 1;
    }
}

static bool is_number(Value v) { return v.kind == V_INT || v.kind == V_BOOL || v.kind == V_FLOAT; }

static double num_as_double(Value v) { return v.kind == V_FLOAT ? v.as.f : (double)v.as.i; }

/* Compares two numbers exactly (an int64 and a double need care past 2^53). */
static int num_cmp(Value a, Value b)
{
    if (a.kind != V_FLOAT && b.kind != V_FLOAT)
        return a.as.i < b.as.i ? -1 : a.as.i > b.as.i;
    if (a.kind == V_FLOAT && b.kind == V_FLOAT)
        return a.as.f < b.as.f ? -1 : a.as.f > b.as.f ? 1 : (a.as.f == b.as.f ? 0 : 2);
    bool swap = a.kind == V_FLOAT;
    int64_t i = swap ? b.as.i : a.as.i;
    double d = swap ? a.as.f : b.as.f;
    int r;
    if (isnan(d))
        return 2;
    if (d >= 9223372036854775808.0)
        r = -1;
    else if (d < -9223372036854775808.0)
        r = 1;
    else {
        double fl = floor(d);
        int64_t di = (int64_t)fl;
        if (i < di)
            r = -1;
        else if (i > di)
            r = 1;
        else
            r = fl < d ? -1 : 0;
    }
    return swap ? -r : r;
}

int vm_eq(Thread *t, Value a, Value b)
{
    Vm *vm = t->vm;
    if (is_number(a) && is_number(b))
        return num_cmp(a, b) == 0;
    if (a.kind != V_OBJ || b.kind != V_OBJ) {
        if (a.kind == V_NONE && b.kind == V_NONE)
            return 1;
        Value inst = IS_INSTANCE(a) ? a : IS_INSTANCE(b) ? b : VAL_ERR;
        if (!IS_ERR(inst)) {
            Value other = IS_INSTANCE(a) ? b : a;
            Value *m = user_method(inst, vm->s_eq);
            if (m && !IS_KIND(*m, OBJ_NATIVE)) {
                Value r = call_dunder(t, inst, *m, 1, &other);
                if (IS_ERR(r))
                    return -1;
                int truth = vm_truthy(t, r);
                val_decref(r);
                return truth;
            }
        }
        return 0;
    }
    Obj *x = a.as.o, *y = b.as.o;
    if (x == y && x->kind != OBJ_INSTANCE)
        return 1;
    if (x->kind == OBJ_STR && y->kind == OBJ_STR)
        return str_eq((ObjStr *)x, (ObjStr *)y);
    if (x->kind == OBJ_INSTANCE || y->kind == OBJ_INSTANCE) {
        Value inst = x->kind == OBJ_INSTANCE ? a : b;
        Value other = x->kind == OBJ_INSTANCE ? b : a;
        Value *m = user_method(inst, vm->s_eq);
        if (!m || IS_KIND(*m, OBJ_NATIVE)) {
            if (x->kind == OBJ_INSTANCE && y->kind == OBJ_INSTANCE && x != y) {
                m = user_method(b, vm->s_eq);
                if (m && !IS_KIND(*m, OBJ_NATIVE)) {
                    inst = b;
                    other = a;
                } else {
                    return 0;
                }
            } else {
                return x == y;
            }
        }
        Value r = call_dunder(t, inst, *m, 1, &other);
        if (IS_ERR(r))
            return -1;
        int truth = vm_truthy(t, r);
        val_decref(r);
        return truth;
    }
    if (x->kind != y->kind) {
        if ((x->kind == OBJ_SET || x->kind == OBJ_DICT) && (y->kind == OBJ_SET || y->kind == OBJ_DICT))
            return 0;
        return 0;
    }
    switch (x->kind) {
    case OBJ_BYTES: {
        ObjBytes *p = (ObjBytes *)x, *q = (ObjBytes *)y;
        return p->len == q->len && memcmp(p->data, q->data, (size_t)p->len) == 0;
    }
    case OBJ_LIST:
    case OBJ_TUPLE:
        return seq_richcompare(t, a, b, CMP_EQ);
    case OBJ_DICT:
        return dict_eq(t, (ObjDict *)x, (ObjDict *)y);
    case OBJ_SET:
        return set_compare(t, (ObjSet *)x, (ObjSet *)y, CMP_EQ);
    case OBJ_RANGE: {
        ObjRange *p = (ObjRange *)x, *q = (ObjRange *)y;
        int64_t lp = vm_len(t, a), lq = vm_len(t, b);
        if (lp != lq)
            return 0;
        if (lp == 0)
            return 1;
        if (p->start != q->start)
            return 0;
        return lp == 1 || p->step == q->step;
    }
    case OBJ_BOUND: {
        ObjBound *p = (ObjBound *)x, *q = (ObjBound *)y;
        return p->func.as.o == q->func.as.o && p->self.kind == q->self.kind && p->self.as.i == q->self.as.i;
    }
    default:
        return 0;
    }
}

static const char *const cmp_symbols[] = {"<", "<=", "==", "!=", ">", ">="};

int vm_compare(Thread *t, Value a, Value b, int op)
{
    Vm *vm = t->vm;
    if (op == CMP_EQ || op == CMP_NE) {
        int r = vm_eq(t, a, b);
        return r < 0 ? r : (op == CMP_EQ ? r : !r);
    }
    if (is_number(a) && is_number(b)) {
        int c = num_cmp(a, b);
        if (c == 2)
            return 0;
        switch (op) {
        case CMP_LT: return c < 0;
        case CMP_LE: return c <= 0;
        case CMP_GT: return c > 0;
        default: return c >= 0;
        }
    }
    if (IS_STR(a) && IS_STR(b)) {
        int c = str_cmp(AS_STR(a), AS_STR(b));
        switch (op) {
        case CMP_LT: return c < 0;
        case CMP_LE: return c <= 0;
        case CMP_GT: return c > 0;
        default: return c >= 0;
        }
    }
    if (IS_BYTES(a) && IS_BYTES(b)) {
        ObjBytes *p = AS_BYTES(a), *q = AS_BYTES(b);
        int64_t n = p->len < q->len ? p->len : q->len;
        int c = memcmp(p->data, q->data, (size_t)n);
        if (c == 0)
            c = p->len < q->len ? -1 : p->len > q->len;
        switch (op) {
        case CMP_LT: return c < 0;
        case CMP_LE: return c <= 0;
        case CMP_GT: return c > 0;
        default: return c >= 0;
        }
    }
    if ((IS_LIST(a) && IS_LIST(b)) || (IS_TUPLE(a) && IS_TUPLE(b)))
        return seq_richcompare(t, a, b, op);
    if (IS_SET(a) && IS_SET(b))
        return set_compare(t, (ObjSet *)AS_OBJ(a), (ObjSet *)AS_OBJ(b), op);
    static const char *const names[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
    static const int reflected[] = {CMP_GT, CMP_GE, CMP_EQ, CMP_NE, CMP_LT, CMP_LE};
    if (IS_INSTANCE(a)) {
        Value *m = user_method(a, str_intern_cstr(vm, names[op]));
        if (m) {
            Value r = call_dunder(t, a, *m, 1, &b);
            if (IS_ERR(r))
                return -1;
            int truth = vm_truthy(t, r);
            val_decref(r);
            return truth;
        }
    }
    if (IS_INSTANCE(b)) {
        Value *m = user_method(b, str_intern_cstr(vm, names[reflected[op]]));
        if (m) {
            Value r = call_dunder(t, b, *m, 1, &a);
            if (IS_ERR(r))
                return -1;
            int truth = vm_truthy(t, r);
            val_decref(r);
            return truth;
        }
    }
    vm_raise(t, EXC_TypeError, "'%s' not supported between instances of '%s' and '%s'", cmp_symbols[op],
             vm_type_name(vm, a), vm_type_name(vm, b));
    return -1;
}

int vm_hash(Thread *t, Value v, uint64_t *out)
{
    Vm *vm = t->vm;
    switch (v.kind) {
    case V_NONE: *out = 0xfca86420u; return 0;
    case V_BOOL:
    case V_INT: *out = hash_int(v.as.i); return 0;
    case V_FLOAT: *out = hash_double(v.as.f); return 0;
    case V_OBJ: break;
    default: *out = 0; return 0;
    }
    Obj *o = v.as.o;
    switch (o->kind) {
    case OBJ_STR: *out = str_hash((ObjStr *)o); return 0;
    case OBJ_BYTES: *out = bytes_hash((ObjBytes *)o); return 0;
    case OBJ_TUPLE: return tuple_hash(t, (ObjTuple *)o, out);
    case OBJ_LIST:
    case OBJ_DICT:
    case OBJ_SET:
        vm_raise(t, EXC_TypeError, "unhashable type: '%s'", vm_type_name(vm, v));
        return -1;
    case OBJ_INSTANCE: {
        Value *h = vm_class_lookup(o->cls, vm->s_hash);
        if (h && !IS_NONE(*h)) {
            Value r = call_dunder(t, v, *h, 0, NULL);
            if (IS_ERR(r))
                return -1;
            if (!IS_INTLIKE(r)) {
                val_decref(r);
                vm_raise(t, EXC_TypeError, "__hash__ method should return an integer");
                return -1;
            }
            *out = hash_int(r.as.i);
            return 0;
        }
        Value *eq = vm_class_lookup(o->cls, vm->s_eq);
        if (h || (eq && !IS_KIND(*eq, OBJ_NATIVE))) {
            vm_raise(t, EXC_TypeError, "unhashable type: '%s'", vm_type_name(vm, v));
            return -1;
        }
        break;
    }
    default:
        break;
    }
    uint64_t p = (uint64_t)(uintptr_t)o;
    *out = (p >> 4) | (p << 60);
    return 0;
}

/* ---- length, iteration ------------------------------------------------------------ */

static int64_t range_len(const ObjRange *r)
{
    if (r->step > 0 && r->start < r->stop)
        return (int64_t)(((uint64_t)r->stop - (uint64_t)r->start - 1) / (uint64_t)r->step + 1);
    if (r->step < 0 && r->start > r->stop)
        return (int64_t)(((uint64_t)r->start - (uint64_t)r->stop - 1) / (0 - (uint64_t)r->step) + 1);
    return 0;
}

int64_t vm_len(Thread *t, Value v)
{
    Vm *vm = t->vm;
    if (v.kind == V_OBJ) {
        Obj *o = v.as.o;
        switch (o->kind) {
        case OBJ_STR: return ((ObjStr *)o)->nchars;
        case OBJ_BYTES: return ((ObjBytes *)o)->len;
        case OBJ_LIST: return ((ObjList *)o)->len;
        case OBJ_TUPLE: return ((ObjTuple *)o)->len;
        case OBJ_DICT:
        case OBJ_SET: return ((ObjDict *)o)->len;
        case OBJ_RANGE: return range_len((ObjRange *)o);
        case OBJ_HANDLE:      /* native classes may define the dunders too */
        case OBJ_INSTANCE: {
            Value *m = vm_class_lookup(o->cls, vm->s_len);
            if (!m)
                break;
            Value r = call_dunder(t, v, *m, 0, NULL);
            if (IS_ERR(r))
                return -1;
            if (!IS_INTLIKE(r)) {
                vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer", vm_type_name(vm, r));
                val_decref(r);
                return -1;
            }
            if (r.as.i < 0) {
                vm_raise(t, EXC_ValueError, "__len__() should return >= 0");
                return -1;
            }
            return r.as.i;
        }
        default:
            break;
        }
    }
    vm_raise(t, EXC_TypeError, "object of type '%s' has no len()", vm_type_name(vm, v));
    return -1;
}

static ObjIter *iter_new(Vm *vm, IterNextFn next, Value seq)
{
    ObjIter *it = (ObjIter *)obj_alloc(vm, sizeof(ObjIter), OBJ_ITER, vm->types[TY_ITERATOR]);
    it->next = next;
    it->seq = val_dup(seq);
    it->aux = VAL_NONE;
    return it;
}

Value iter_list_next(Thread *t, ObjIter *it);
Value iter_range_next(Thread *t, ObjIter *it);

Value iter_list_next(Thread *t, ObjIter *it)
{
    (void)t;
    ObjList *l = AS_LIST(it->seq);
    if (it->i < l->len)
        return val_dup(l->items[it->i++]);
    return VAL_ERR;
}

Value iter_range_next(Thread *t, ObjIter *it)
{
    (void)t;
    if (it->i < it->n) {
        Value v = val_int(it->aux.as.i + it->i * it->step);
        it->i++;
        return v;
    }
    return VAL_ERR;
}

static Value iter_tuple_next(Thread *t, ObjIter *it)
{
    (void)t;
    ObjTuple *tu = AS_TUPLE(it->seq);
    if (it->i < tu->len)
        return val_dup(tu->items[it->i++]);
    return VAL_ERR;
}

static Value iter_str_next(Thread *t, ObjIter *it)
{
    ObjStr *s = AS_STR(it->seq);
    if (it->i >= s->len)
        return VAL_ERR;
    int64_t start = it->i;
    if (s->nchars == s->len) {
        it->i++;
    } else {
        str_decode_utf8(s->chars, s->len, &it->i);
    }
    return val_obj(&str_new(t->vm, s->chars + start, it->i - start)->obj);
}

static Value iter_bytes_next(Thread *t, ObjIter *it)
{
    (void)t;
    ObjBytes *b = AS_BYTES(it->seq);
    if (it->i < b->len)
        return val_int(b->data[it->i++]);
    return VAL_ERR;
}

/* Dict and set iteration: it->i is the entry position, it->n the size at start. */
static Value iter_dict_next(Thread *t, ObjIter *it)
{
    ObjDict *d = AS_DICT(it->seq);
    if (d->len != it->n) {
        it->n = -1;
        return vm_raise(t, EXC_RuntimeError, "%s changed size during iteration",
                        d->obj.kind == OBJ_SET ? "Set" : "dictionary");
    }
    Value k, v;
    if (!dict_next(d, &it->i, &k, &v))
        return VAL_ERR;
    return val_dup(k);
}

static Value iter_user_next(Thread *t, ObjIter *it)
{
    Value *m = vm_class_lookup(it->seq.as.o->cls, t->vm->s_next);
    if (!m)
        return vm_raise(t, EXC_TypeError, "'%s' object is not an iterator", vm_type_name(t->vm, it->seq));
    Value r = call_dunder(t, it->seq, *m, 0, NULL);
    if (IS_ERR(r) && vm_exc_matches(t, EXC_StopIteration))
        vm_exc_clear(t);
    return r;
}

Value vm_iter(Thread *t, Value v)
{
    Vm *vm = t->vm;
    if (v.kind == V_OBJ) {
        Obj *o = v.as.o;
        switch (o->kind) {
        case OBJ_LIST: return val_obj(&iter_new(vm, iter_list_next, v)->obj);
        case OBJ_TUPLE: return val_obj(&iter_new(vm, iter_tuple_next, v)->obj);
        case OBJ_STR: return val_obj(&iter_new(vm, iter_str_next, v)->obj);
        case OBJ_BYTES: return val_obj(&iter_new(vm, iter_bytes_next, v)->obj);
        case OBJ_DICT:
        case OBJ_SET: {
            ObjIter *it = iter_new(vm, iter_dict_next, v);
            it->n = ((ObjDict *)o)->len;
            return val_obj(&it->obj);
        }
        case OBJ_RANGE: {
            ObjRange *r = (ObjRange *)o;
            ObjIter *it = iter_new(vm, iter_range_next, VAL_NONE);
            it->aux = val_int(r->start);
            it->step = r->step;
            it->n = range_len(r);
            return val_obj(&it->obj);
        }
        case OBJ_ITER:
            return val_dup(v);
        case OBJ_HANDLE:      /* native classes may define the dunders too */
        case OBJ_INSTANCE: {
            Value *m = vm_class_lookup(o->cls, vm->s_iter);
            if (m) {
                Value r = call_dunder(t, v, *m, 0, NULL);
                if (IS_ERR(r) || IS_KIND(r, OBJ_ITER))
                    return r;
                if ((IS_INSTANCE(r) || IS_KIND(r, OBJ_HANDLE)) && vm_class_lookup(r.as.o->cls, vm->s_next)) {
                    ObjIter *it = iter_new(vm, iter_user_next, r);
                    val_decref(r);
                    return val_obj(&it->obj);
                }
                Value res = vm_raise(t, EXC_TypeError, "iter() returned non-iterator of type '%s'",
                                     vm_type_name(vm, r));
                val_decref(r);
                return res;
            }
            m = vm_class_lookup(o->cls, vm->s_getitem);
            if (m)
                break;
            break;
        }
        default:
            break;
        }
    }
    return vm_raise(t, EXC_TypeError, "'%s' object is not iterable", vm_type_name(vm, v));
}

Value vm_next(Thread *t, Value it)
{
    if (IS_KIND(it, OBJ_ITER))
        return AS_ITER(it)->next(t, AS_ITER(it));
    if (IS_INSTANCE(it) || IS_KIND(it, OBJ_HANDLE)) {
        Value *m = vm_class_lookup(it.as.o->cls, t->vm->s_next);
        if (m) {
            Value r = call_dunder(t, it, *m, 0, NULL);
            if (IS_ERR(r) && vm_exc_matches(t, EXC_StopIteration))
                vm_exc_clear(t);
            return r;
        }
    }
    return vm_raise(t, EXC_TypeError, "'%s' object is not an iterator", vm_type_name(t->vm, it));
}

ObjList *vm_list_from_iter(Thread *t, Value iterable)
{
    ObjList *l = list_new(t->vm, 0);
    if (list_extend(t, l, iterable) < 0) {
        obj_decref(&l->obj);
        return NULL;
    }
    return l;
}

/* ---- item access -------------------------------------------------------------------- */

static Value raise_key_error(Thread *t, Value key)
{
    Value exc = vm_call(t, val_obj(&t->vm->exc[EXC_KeyError]->obj), 1, &key, NULL);
    if (IS_ERR(exc))
        return exc;
    vm_raise_value(t, exc);
    val_decref(exc);
    return VAL_ERR;
}

Value vm_getitem(Thread *t, Value obj, Value key)
{
    Vm *vm = t->vm;
    if (obj.kind == V_OBJ) {
        Obj *o = obj.as.o;
        switch (o->kind) {
        case OBJ_LIST: return list_getitem(t, (ObjList *)o, key);
        case OBJ_TUPLE: return tuple_getitem(t, (ObjTuple *)o, key);
        case OBJ_STR: return str_getitem(t, (ObjStr *)o, key);
        case OBJ_BYTES: return bytes_getitem(t, (ObjBytes *)o, key);
        case OBJ_DICT: {
            Value v;
            int r = dict_get(t, (ObjDict *)o, key, &v);
            if (r < 0)
                return VAL_ERR;
            if (r == 0)
                return raise_key_error(t, key);
            return val_dup(v);
        }
        case OBJ_RANGE: {
            ObjRange *r = (ObjRange *)o;
            int64_t n = range_len(r);
            if (IS_KIND(key, OBJ_SLICE)) {
                int64_t start, stop, step, count;
                if (!slice_indices(t, AS_SLICE(key), n, &start, &stop, &step, &count))
                    return VAL_ERR;
                ObjRange *nr = (ObjRange *)obj_alloc(vm, sizeof(ObjRange), OBJ_RANGE, vm->types[TY_RANGE]);
                nr->start = r->start + start * r->step;
                nr->step = r->step * step;
                nr->stop = nr->start + count * nr->step;
                return val_obj(&nr->obj);
            }
            int64_t i;
            if (!vm_to_index(t, key, &i))
                return VAL_ERR;
            if (i < 0)
                i += n;
            if (i < 0 || i >= n)
                return vm_raise(t, EXC_IndexError, "range object index out of range");
            return val_int(r->start + i * r->step);
        }
        case OBJ_HANDLE:      /* native classes may define the dunders too */
        case OBJ_INSTANCE: {
            Value *m = vm_class_lookup(o->cls, vm->s_getitem);
            if (m)
                return call_dunder(t, obj, *m, 1, &key);
            break;
        }
        default:
            break;
        }
    }
    return vm_raise(t, EXC_TypeError, "'%s' object is not subscriptable", vm_type_name(vm, obj));
}

int vm_setitem(Thread *t, Value obj, Value key, Value v)
{
    Vm *vm = t->vm;
    if (obj.kind == V_OBJ) {
        Obj *o = obj.as.o;
        switch (o->kind) {
        case OBJ_LIST: return list_setitem(t, (ObjList *)o, key, v);
        case OBJ_DICT: return dict_set(t, (ObjDict *)o, key, v);
        case OBJ_HANDLE:      /* native classes may define the dunders too */
        case OBJ_INSTANCE: {
            Value *m = vm_class_lookup(o->cls, vm->s_setitem);
            if (m) {
                Value args[2] = {key, v};
                Value r = call_dunder(t, obj, *m, 2, args);
                if (IS_ERR(r))
                    return -1;
                val_decref(r);
                return 0;
            }
            break;
        }
        default:
            break;
        }
    }
    vm_raise(t, EXC_TypeError, "'%s' object does not support item assignment", vm_type_name(vm, obj));
    return -1;
}

int vm_delitem(Thread *t, Value obj, Value key);
int vm_delitem(Thread *t, Value obj, Value key)
{
    Vm *vm = t->vm;
    if (obj.kind == V_OBJ) {
        Obj *o = obj.as.o;
        switch (o->kind) {
        case OBJ_LIST: return list_delitem(t, (ObjList *)o, key);
        case OBJ_DICT: {
            int r = dict_del(t, (ObjDict *)o, key);
            if (r < 0)
                return -1;
            if (r == 0) {
                raise_key_error(t, key);
                return -1;
            }
            return 0;
        }
        case OBJ_HANDLE:      /* native classes may define the dunders too */
        case OBJ_INSTANCE: {
            Value *m = vm_class_lookup(o->cls, str_intern_cstr(vm, "__delitem__"));
            if (m) {
                Value r = call_dunder(t, obj, *m, 1, &key);
                if (IS_ERR(r))
                    return -1;
                val_decref(r);
                return 0;
            }
            break;
        }
        default:
            break;
        }
    }
    vm_raise(t, EXC_TypeError, "'%s' object doesn't support item deletion", vm_type_name(vm, obj));
    return -1;
}

int vm_contains(Thread *t, Value container, Value item)
{
    Vm *vm = t->vm;
    if (container.kind == V_OBJ) {
        Obj *o = container.as.o;
        switch (o->kind) {
        case OBJ_STR:
            if (!IS_STR(item)) {
                vm_raise(t, EXC_TypeError, "'in <string>' requires string as left operand, not %s",
                         vm_type_name(vm, item));
                return -1;
            }
            return str_contains((ObjStr *)o, AS_STR(item));
        case OBJ_BYTES:
            return bytes_contains(t, (ObjBytes *)o, item);
        case OBJ_LIST:
            return seq_contains(t, container, item);
        case OBJ_TUPLE:
            return seq_contains(t, container, item);
        case OBJ_DICT: {
            Value v;
            return dict_get(t, (ObjDict *)o, item, &v);
        }
        case OBJ_SET:
            return set_contains(t, (ObjSet *)o, item);
        case OBJ_RANGE: {
            if (!IS_INTLIKE(item))
                break;
            ObjRange *r = (ObjRange *)o;
            int64_t i = item.as.i;
            if (r->step > 0 ? (i < r->start || i >= r->stop) : (i > r->start || i <= r->stop))
                return 0;
            return (i - r->start) % r->step == 0;
        }
        case OBJ_HANDLE:      /* native classes may define the dunders too */
        case OBJ_INSTANCE: {
            Value *m = vm_class_lookup(o->cls, vm->s_contains);
            if (m) {
                Value r = call_dunder(t, container, *m, 1, &item);
                if (IS_ERR(r))
                    return -1;
                int truth = vm_truthy(t, r);
                val_decref(r);
                return truth;
            }
            break;
        }
        default:
            break;
        }
    }
    Value it = vm_iter(t, container);
    if (IS_ERR(it)) {
        if (vm_exc_matches(t, EXC_TypeError)) {
            vm_exc_clear(t);
            vm_raise(t, EXC_TypeError, "argument of type '%s' is not iterable", vm_type_name(vm, container));
        }
        return -1;
    }
    for (;;) {
        Value x = vm_next(t, it);
        if (IS_ERR(x)) {
            val_decref(it);
            return IS_ERR(t->exc) ? 0 : -1;
        }
        int r = vm_eq(t, x, item);
        val_decref(x);
        if (r != 0) {
            val_decref(it);
            return r;
        }
    }
}

/* ---- numbers ----------------------------------------------------------------------- */

bool vm_to_index(Thread *t, Value v, int64_t *out)
{
    if (IS_INTLIKE(v)) {
        *out = v.as.i;
        return true;
    }
    Value *m = user_method(v, str_intern_cstr(t->vm, "__index__"));
    if (m) {
        Value r = call_dunder(t, v, *m, 0, NULL);
        if (IS_ERR(r))
            return false;
        if (IS_INTLIKE(r)) {
            *out = r.as.i;
            return true;
        }
        vm_raise(t, EXC_TypeError, "__index__ returned non-int (type %s)", vm_type_name(t->vm, r));
        val_decref(r);
        return false;
    }
    vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer", vm_type_name(t->vm, v));
    return false;
}

bool vm_to_double(Thread *t, Value v, double *out)
{
    if (is_number(v)) {
        *out = num_as_double(v);
        return true;
    }
    vm_raise(t, EXC_TypeError, "must be real number, not %s", vm_type_name(t->vm, v));
    return false;
}

static const char *const binop_symbols[BINOP__COUNT] = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>",
                                                         "&", "|", "^"};
static const char *const binop_names[BINOP__COUNT] = {"__add__", "__sub__", "__mul__", "__truediv__",
                                                       "__floordiv__", "__mod__", "__pow__", "__lshift__",
                                                       "__rshift__", "__and__", "__or__", "__xor__"};
static const char *const binop_rnames[BINOP__COUNT] = {"__radd__", "__rsub__", "__rmul__", "__rtruediv__",
                                                        "__rfloordiv__", "__rmod__", "__rpow__", "__rlshift__",
                                                        "__rrshift__", "__rand__", "__ror__", "__rxor__"};
static const char *const binop_inames[BINOP__COUNT] = {"__iadd__", "__isub__", "__imul__", "__itruediv__",
                                                        "__ifloordiv__", "__imod__", "__ipow__", "__ilshift__",
                                                        "__irshift__", "__iand__", "__ior__", "__ixor__"};

static Value overflow(Thread *t) { return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG); }

static Value int_pow(Thread *t, int64_t base, int64_t exp)
{
    if (exp < 0) {
        if (base == 0)
            return vm_raise(t, EXC_ZeroDivisionError, "0.0 cannot be raised to a negative power");
        return val_float(pow((double)base, (double)exp));
    }
    int64_t result = 1;
    while (exp > 0) {
        if (exp & 1) {
            if (__builtin_mul_overflow(result, base, &result))
                return overflow(t);
        }
        exp >>= 1;
        if (exp > 0 && __builtin_mul_overflow(base, base, &base))
            return overflow(t);
    }
    return val_int(result);
}

static Value int_binop(Thread *t, int op, int64_t a, int64_t b, bool both_bool)
{
    int64_t r;
    switch (op) {
    case BINOP_ADD:
        if (__builtin_add_overflow(a, b, &r)) return overflow(t);
        return val_int(r);
    case BINOP_SUB:
        if (__builtin_sub_overflow(a, b, &r)) return overflow(t);
        return val_int(r);
    case BINOP_MUL:
        if (__builtin_mul_overflow(a, b, &r)) return overflow(t);
        return val_int(r);
    case BINOP_TRUEDIV:
        if (b == 0)
            return vm_raise(t, EXC_ZeroDivisionError, "division by zero");
        return val_float((double)a / (double)b);
    case BINOP_FLOORDIV:
    case BINOP_MOD: {
        if (b == 0)
            return vm_raise(t, EXC_ZeroDivisionError, op == BINOP_MOD ? "integer modulo by zero"
                                                                      : "integer division or modulo by zero");
        if (a == INT64_MIN && b == -1)
            return op == BINOP_MOD ? val_int(0) : overflow(t);
        int64_t q = a / b, m = a % b;
        if (m != 0 && ((m < 0) != (b < 0))) {
            q--;
            m += b;
        }
        return val_int(op == BINOP_MOD ? m : q);
    }
    case BINOP_POW:
        return int_pow(t, a, b);
    case BINOP_LSHIFT:
        if (b < 0)
            return vm_raise(t, EXC_ValueError, "negative shift count");
        if (a == 0)
            return val_int(0);
        if (b >= 63)
            return overflow(t);
        r = (int64_t)((uint64_t)a << b);
        if ((r >> b) != a)
            return overflow(t);
        return val_int(r);
    case BINOP_RSHIFT:
        if (b < 0)
            return vm_raise(t, EXC_ValueError, "negative shift count");
        if (b >= 64)
            return val_int(a < 0 ? -1 : 0);
        return val_int(a >> b);
    case BINOP_AND:
        return both_bool ? val_bool(a & b) : val_int(a & b);
    case BINOP_OR:
        return both_bool ? val_bool(a | b) : val_int(a | b);
    case BINOP_XOR:
        return both_bool ? val_bool(a ^ b) : val_int(a ^ b);
    default:
        return VAL_ERR;
    }
}

static Value float_binop(Thread *t, int op, double a, double b)
{
    switch (op) {
    case BINOP_ADD: return val_float(a + b);
    case BINOP_SUB: return val_float(a - b);
    case BINOP_MUL: return val_float(a * b);
    case BINOP_TRUEDIV:
        if (b == 0.0)
            return vm_raise(t, EXC_ZeroDivisionError, "float division by zero");
        return val_float(a / b);
    case BINOP_FLOORDIV:
    case BINOP_MOD: {
        if (b == 0.0)
            return vm_raise(t, EXC_ZeroDivisionError, op == BINOP_MOD ? "float modulo" : "float floor division by zero");
        double mod = fmod(a, b);
        double div = (a - mod) / b;
        if (mod != 0.0) {
            if ((b < 0) != (mod < 0)) {
                mod += b;
                div -= 1.0;
            }
        } else {
            mod = copysign(0.0, b);
        }
        if (op == BINOP_MOD)
            return val_float(mod);
        double floordiv;
        if (div != 0.0) {
            floordiv = floor(div);
            if (div - floordiv > 0.5)
                floordiv += 1.0;
        } else {
            floordiv = copysign(0.0, a / b);
        }
        return val_float(floordiv);
    }
    case BINOP_POW:
        if (a == 0.0 && b < 0.0)
            return vm_raise(t, EXC_ZeroDivisionError, "0.0 cannot be raised to a negative power");
        if (a < 0.0 && b != floor(b))
            return vm_raise(t, EXC_ValueError, "gilscope has no complex numbers: negative number to a fractional power");
        {
            double r = pow(a, b);
            if (isinf(r) && !isinf(a) && !isinf(b))
                return vm_raise(t, EXC_OverflowError, "(34, 'Numerical result out of range')");
            return val_float(r);
        }
    default:
        return VAL_ERR;
    }
}

static Value unsupported(Thread *t, int op, Value a, Value b)
{
    Vm *vm = t->vm;
    if (op == BINOP_ADD && (IS_STR(a) || IS_LIST(a) || IS_TUPLE(a) || IS_BYTES(a)) &&
        !(IS_STR(a) && IS_STR(b))) {
        if (IS_BYTES(a))
            return vm_raise(t, EXC_TypeError, "can't concat %s to bytes", vm_type_name(vm, b));
        return vm_raise(t, EXC_TypeError, "can only concatenate %s (not \"%s\") to %s", vm_type_name(vm, a),
                        vm_type_name(vm, b), vm_type_name(vm, a));
    }
    if (op == BINOP_MUL && (IS_STR(a) || IS_LIST(a) || IS_TUPLE(a) || IS_STR(b) || IS_LIST(b) || IS_TUPLE(b)))
        return vm_raise(t, EXC_TypeError, "can't multiply sequence by non-int of type '%s'",
                        vm_type_name(vm, (IS_STR(a) || IS_LIST(a) || IS_TUPLE(a)) ? b : a));
    if (op == BINOP_POW)
        return vm_raise(t, EXC_TypeError, "unsupported operand type(s) for ** or pow(): '%s' and '%s'",
                        vm_type_name(vm, a), vm_type_name(vm, b));
    return vm_raise(t, EXC_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", binop_symbols[op],
                    vm_type_name(vm, a), vm_type_name(vm, b));
}

static Value seq_repeat(Thread *t, Value seq, int64_t n)
{
    switch (seq.as.o->kind) {
    case OBJ_STR: return str_repeat(t, AS_STR(seq), n);
    case OBJ_LIST: return list_repeat(t, AS_LIST(seq), n);
    case OBJ_TUPLE: return tuple_repeat(t, AS_TUPLE(seq), n);
    case OBJ_BYTES: return bytes_repeat(t, AS_BYTES(seq), n);
    default: return VAL_ERR;
    }
}

static bool is_repeatable(Value v)
{
    return v.kind == V_OBJ && (v.as.o->kind == OBJ_STR || v.as.o->kind == OBJ_LIST || v.as.o->kind == OBJ_TUPLE ||
                               v.as.o->kind == OBJ_BYTES);
}

Value vm_binop(Thread *t, int op, Value a, Value b)
{
    Vm *vm = t->vm;
    if (IS_INTLIKE(a) && IS_INTLIKE(b))
        return int_binop(t, op, a.as.i, b.as.i, IS_BOOL(a) && IS_BOOL(b));
    if (is_number(a) && is_number(b)) {
        if (op >= BINOP_LSHIFT)
            return unsupported(t, op, a, b);
        return float_binop(t, op, num_as_double(a), num_as_double(b));
    }
    if (IS_INSTANCE(a)) {
        Value *m = user_method(a, str_intern_cstr(vm, binop_names[op]));
        if (m)
            return call_dunder(t, a, *m, 1, &b);
    }
    if (IS_INSTANCE(b)) {
        Value *m = user_method(b, str_intern_cstr(vm, binop_rnames[op]));
        if (m)
            return call_dunder(t, b, *m, 1, &a);
    }
    switch (op) {
    case BINOP_ADD:
        if (IS_STR(a) && IS_STR(b))
            return val_obj(&str_concat(vm, AS_STR(a), AS_STR(b))->obj);
        if ((IS_LIST(a) && IS_LIST(b)) || (IS_TUPLE(a) && IS_TUPLE(b)))
            return seq_concat(t, a, b);
        if (IS_BYTES(a) && IS_BYTES(b))
            return val_obj(&bytes_concat(vm, AS_BYTES(a), AS_BYTES(b))->obj);
        break;
    case BINOP_MUL:
        if (is_repeatable(a) && IS_INTLIKE(b))
            return seq_repeat(t, a, b.as.i);
        if (is_repeatable(b) && IS_INTLIKE(a))
            return seq_repeat(t, b, a.as.i);
        break;
    case BINOP_MOD:
        if (IS_STR(a))
            return str_percent_format(t, AS_STR(a), b);
        break;
    case BINOP_SUB:
    case BINOP_AND:
    case BINOP_OR:
    case BINOP_XOR:
        if (IS_SET(a) && IS_SET(b))
            return set_binop(t, op, a, b);
        if (op == BINOP_OR && IS_DICT(a) && IS_DICT(b))
            return set_binop(t, op, a, b);
        break;
    default:
        break;
    }
    return unsupported(t, op, a, b);
}

Value vm_inplace(Thread *t, int op, Value a, Value b);
Value vm_inplace(Thread *t, int op, Value a, Value b)
{
    Vm *vm = t->vm;
    if (IS_LIST(a) && op == BINOP_ADD) {
        if (list_extend(t, AS_LIST(a), b) < 0)
            return VAL_ERR;
        return val_dup(a);
    }
    if (IS_DICT(a) && op == BINOP_OR) {
        if (dict_update(t, AS_DICT(a), b) < 0)
            return VAL_ERR;
        return val_dup(a);
    }
    if (IS_SET(a) && IS_SET(b) && (op == BINOP_OR || op == BINOP_AND || op == BINOP_SUB || op == BINOP_XOR)) {
        Value r = set_binop(t, op, a, b);
        if (IS_ERR(r))
            return r;
        /* update a in place so aliases see the change */
        ObjSet *s = (ObjSet *)AS_OBJ(a);
        dict_clear(s);
        int64_t pos = 0;
        Value k, v;
        while (dict_next(AS_DICT(r), &pos, &k, &v))
            if (set_add(t, s, k) < 0) {
                val_decref(r);
                return VAL_ERR;
            }
        val_decref(r);
        return val_dup(a);
    }
    if (IS_INSTANCE(a)) {
        Value *m = user_method(a, str_intern_cstr(vm, binop_inames[op]));
        if (m)
            return call_dunder(t, a, *m, 1, &b);
    }
    return vm_binop(t, op, a, b);
}

Value vm_unary(Thread *t, int op, Value a);
Value vm_unary(Thread *t, int op, Value a)
{
    Vm *vm = t->vm;
    const char *dunder = NULL, *sym = NULL;
    switch (op) {
    case OP_UNARY_NEG:
        if (IS_INTLIKE(a)) {
            if (a.as.i == INT64_MIN)
                return overflow(t);
            return val_int(-a.as.i);
        }
        if (IS_FLOAT(a))
            return val_float(-a.as.f);
        dunder = "__neg__";
        sym = "unary -";
        break;
    case OP_UNARY_POS:
        if (IS_INTLIKE(a))
            return val_int(a.as.i);
        if (IS_FLOAT(a))
            return a;
        dunder = "__pos__";
        sym = "unary +";
        break;
    default:
        if (IS_INTLIKE(a))
            return val_int(~a.as.i);
        dunder = "__invert__";
        sym = "unary ~";
        break;
    }
    if (IS_INSTANCE(a)) {
        Value *m = user_method(a, str_intern_cstr(vm, dunder));
        if (m)
            return call_dunder(t, a, *m, 0, NULL);
    }
    return vm_raise(t, EXC_TypeError, "bad operand type for %s: '%s'", sym, vm_type_name(vm, a));
}

/* f-string fields: conv 1 repr, 2 str, 3 ascii; spec a str or VAL_ERR. */
Value vm_format_value(Thread *t, Value v, int conv, Value spec);
Value vm_format_value(Thread *t, Value v, int conv, Value spec)
{
    Vm *vm = t->vm;
    Value conv_v = VAL_ERR;
    if (conv == 1 || conv == 3) {
        conv_v = vm_repr(t, v);
        if (!IS_ERR(conv_v) && conv == 3) {
            ObjStr *a = str_ascii(vm, AS_STR(conv_v));
            val_decref(conv_v);
            conv_v = val_obj(&a->obj);
        }
    } else if (conv == 2) {
        conv_v = vm_str(t, v);
    }
    if (conv && IS_ERR(conv_v))
        return VAL_ERR;
    Value target = conv ? conv_v : v;
    Value r;
    if (IS_ERR(spec) || AS_STR(spec)->len == 0)
        r = IS_STR(target) ? val_dup(target) : vm_str(t, target);
    else
        r = vm_format(t, target, AS_STR(spec));
    val_decref(conv_v);
    return r;
}

int vm_exc_match(Thread *t, Value exc, Value type);
int vm_exc_match(Thread *t, Value exc, Value type)
{
    Vm *vm = t->vm;
    if (IS_TUPLE(type)) {
        ObjTuple *tu = AS_TUPLE(type);
        for (int64_t i = 0; i < tu->len; i++) {
            int r = vm_exc_match(t, exc, tu->items[i]);
            if (r != 0)
                return r;
        }
        return 0;
    }
    if (!IS_CLASS(type) || !vm_is_subclass(AS_CLASS(type), vm->exc[EXC_BaseException])) {
        vm_raise(t, EXC_TypeError, "catching classes that do not inherit from BaseException is not allowed");
        return -1;
    }
    return vm_isinstance(vm, exc, AS_CLASS(type));
}

/* ---- argument parsing -------------------------------------------------------------- */

bool arg_count(Thread *t, const char *fname, int argc, ObjTuple *kwnames, int nmin, int nmax)
{
    if (kwnames && kwnames->len > 0) {
        vm_raise(t, EXC_TypeError, "%s() takes no keyword arguments", fname);
        return false;
    }
    if (argc < nmin || argc > nmax) {
        if (nmin == nmax)
            vm_raise(t, EXC_TypeError, "%s() takes exactly %d argument%s (%d given)", fname, nmin,
                     nmin == 1 ? "" : "s", argc);
        else if (argc < nmin)
            vm_raise(t, EXC_TypeError, "%s() takes at least %d argument%s (%d given)", fname, nmin,
                     nmin == 1 ? "" : "s", argc);
        else
            vm_raise(t, EXC_TypeError, "%s() takes at most %d argument%s (%d given)", fname, nmax,
                     nmax == 1 ? "" : "s", argc);
        return false;
    }
    return true;
}

bool arg_parse(Thread *t, const char *fname, int argc, const Value *argv, ObjTuple *kwnames,
               const char *const *names, int nreq, int nmax, Value *out)
{
    int nkw = kwnames ? (int)kwnames->len : 0;
    int npos = argc - nkw;
    for (int i = 0; i < nmax; i++)
        out[i] = VAL_ERR;
    if (npos > nmax) {
        vm_raise(t, EXC_TypeError, "%s() takes at most %d argument%s (%d given)", fname, nmax,
                 nmax == 1 ? "" : "s", npos);
        return false;
    }
    for (int i = 0; i < npos; i++)
        out[i] = argv[i];
    for (int k = 0; k < nkw; k++) {
        const char *kname = AS_STR(kwnames->items[k])->chars;
        int idx = -1;
        for (int i = 0; i < nmax; i++) {
            if (names[i] && strcmp(names[i], kname) == 0) {
                idx = i;
                break;
            }
        }
        if (idx < 0) {
            vm_raise(t, EXC_TypeError, "%s() got an unexpected keyword argument '%s'", fname, kname);
            return false;
        }
        if (!IS_ERR(out[idx])) {
            vm_raise(t, EXC_TypeError, "argument for %s() given by name ('%s') and position (%d)", fname, kname,
                     idx + 1);
            return false;
        }
        out[idx] = argv[npos + k];
    }
    for (int i = 0; i < nreq; i++) {
        if (IS_ERR(out[i])) {
            if (names[i])
                vm_raise(t, EXC_TypeError, "%s() missing required argument '%s' (pos %d)", fname, names[i], i + 1);
            else
                vm_raise(t, EXC_TypeError, "%s() takes at least %d argument%s (%d given)", fname, nreq,
                         nreq == 1 ? "" : "s", npos);
            return false;
        }
    }
    return true;
}
