/*
 * seqrepr.c -- repr() of the containers: lists, tuples, dicts and sets,
 * as CPython prints them, with "[...]" / "{...}" for a container that
 * contains itself.
 *
 * The recursion guard is the OBJF_REPR_BUSY flag on the container (the
 * GIL protects it) rather than CPython's per-thread list: a second thread
 * printing the same container while the first is inside a user __repr__
 * would see "[...]", which is the price of needing no per-thread state.
 */
#include "object.h"

#include <stdio.h>

#include "vm.h"

/* Appends repr(v); scalars and strings without a call through the VM. */
static bool repr_item(Thread *t, StrBuf *sb, Value v)
{
    switch (v.kind) {
    case V_NONE:
        sb_puts(sb, "None");
        return true;
    case V_BOOL:
        sb_puts(sb, v.as.i ? "True" : "False");
        return true;
    case V_INT:
        sb_printf(sb, "%lld", (long long)v.as.i);
        return true;
    case V_FLOAT:
        float_repr_sb(sb, v.as.f);
        return true;
    default:
        break;
    }
    if (IS_STR(v)) {
        ObjStr *r = str_repr(t->vm, AS_STR(v));
        sb_append(sb, r->chars, r->len);
        obj_decref(&r->obj);
        return true;
    }
    val_incref(v);  /* the container may drop it while user code runs */
    Value r = vm_repr(t, v);
    val_decref(v);
    if (IS_ERR(r))
        return false;
    if (!IS_STR(r)) {
        val_decref(r);
        vm_raise(t, EXC_TypeError, "__repr__ returned non-string");
        return false;
    }
    sb_append(sb, AS_STR(r)->chars, AS_STR(r)->len);
    val_decref(r);
    return true;
}

/* Items of a list or tuple; lists are re-read after each user call. */
static bool repr_seq(Thread *t, StrBuf *sb, Value v)
{
    bool tuple = IS_TUPLE(v);
    sb_putc(sb, tuple ? '(' : '[');
    for (int64_t i = 0;; i++) {
        int64_t n = tuple ? AS_TUPLE(v)->len : AS_LIST(v)->len;
        if (i >= n)
            break;
        if (i > 0)
            sb_puts(sb, ", ");
        Value item = tuple ? AS_TUPLE(v)->items[i] : AS_LIST(v)->items[i];
        if (!repr_item(t, sb, item))
            return false;
    }
    if (tuple && AS_TUPLE(v)->len == 1)
        sb_putc(sb, ',');
    sb_putc(sb, tuple ? ')' : ']');
    return true;
}

/* Entries of a dict or a set, walking entries[0..used) by position. */
static bool repr_table(Thread *t, StrBuf *sb, ObjDict *d)
{
    bool set = d->obj.kind == OBJ_SET;
    sb_putc(sb, '{');
    bool first = true;
    for (int64_t i = 0; i < d->used; i++) {
        DictEntry *e = &d->entries[i];
        if (IS_ERR(e->key))
            continue;
        if (!first)
            sb_puts(sb, ", ");
        first = false;
        Value k = val_dup(e->key), val = val_dup(e->value);
        bool ok = repr_item(t, sb, k);
        if (ok && !set) {
            sb_puts(sb, ": ");
            ok = repr_item(t, sb, val);
        }
        val_decref(k);
        val_decref(val);
        if (!ok)
            return false;
    }
    sb_putc(sb, '}');
    return true;
}

static Value seq_repr_unguarded(Thread *t, Value v)
{
    Vm *vm = t->vm;
    if (!IS_LIST(v) && !IS_TUPLE(v) && !IS_DICT(v) && !IS_SET(v))
        return vm_raise(t, EXC_TypeError, "seq_repr: unsupported type '%s'",
                        vm_type_name(vm, v));
    if (IS_TUPLE(v) && AS_TUPLE(v)->len == 0)
        return val_obj(&str_from_cstr(vm, "()")->obj);
    if (IS_SET(v) && AS_DICT(v)->len == 0)
        return val_obj(&str_from_cstr(vm, "set()")->obj);
    Obj *o = AS_OBJ(v);
    if (o->flags & OBJF_REPR_BUSY) {
        const char *s = IS_LIST(v) ? "[...]" : IS_TUPLE(v) ? "(...)"
                      : IS_SET(v) ? "set(...)" : "{...}";
        return val_obj(&str_from_cstr(vm, s)->obj);
    }
    obj_incref(o);
    o->flags |= OBJF_REPR_BUSY;
    StrBuf sb;
    sb_init(&sb);
    bool ok = IS_LIST(v) || IS_TUPLE(v) ? repr_seq(t, &sb, v) : repr_table(t, &sb, AS_DICT(v));
    o->flags &= (uint16_t)~OBJF_REPR_BUSY;
    obj_decref(o);
    if (!ok) {
        sb_fini(&sb);
        return VAL_ERR;
    }
    return val_obj(&sb_to_str(vm, &sb)->obj);
}

Value seq_repr(Thread *t, Value v)
{
    if (!vm_enter_recursive(t, "while getting the repr of an object"))
        return VAL_ERR;
    Value r = seq_repr_unguarded(t, v);
    vm_leave_recursive(t);
    return r;
}
