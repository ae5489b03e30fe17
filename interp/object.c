/*
 * object.c -- allocation, reference-count release, and the VM's object list.
 */
#include "object.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "vm.h"

static void mem_fail(size_t size)
{
    fprintf(stderr, "gilscope: out of memory allocating %zu bytes\n", size);
    abort();
}

void *mem_alloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        mem_fail(size);
    return p;
}

void *mem_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        mem_fail(n * size);
    return p;
}

void *mem_realloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        mem_fail(size);
    return q;
}

void mem_free(void *p) { free(p); }

/* Small objects are recycled through per-thread free lists by 16-byte size
 * class: strings, tuples and instances come and go by the million, and
 * glibc's own cache holds only seven blocks of a size. */
#define POOL_CLASSES 17     /* up to 256 bytes */
#define POOL_DEPTH 512

typedef struct PoolBlock {
    struct PoolBlock *next;
} PoolBlock;

static _Thread_local PoolBlock *pool[POOL_CLASSES];
static _Thread_local int pool_count[POOL_CLASSES];

/* A block's size class is kept in the high byte of its Obj flags (0: not
 * pooled, freed with free()), so releasing it needs no malloc_usable_size. */
#define POOL_CLASS(o) ((unsigned)(o)->flags >> 8)

static void *pool_get(size_t size, size_t *rounded)
{
    size_t cls = (size + 15) / 16;
    *rounded = cls * 16;
    if (cls < POOL_CLASSES && pool[cls]) {
        PoolBlock *b = pool[cls];
        pool[cls] = b->next;
        pool_count[cls]--;
        return b;
    }
    return mem_alloc(*rounded);
}

static void pool_put(Obj *p)
{
    unsigned cls = POOL_CLASS(p);
    if (cls > 0 && cls < POOL_CLASSES && pool_count[cls] < POOL_DEPTH) {
        PoolBlock *b = (PoolBlock *)(void *)p;
        b->next = pool[cls];
        pool[cls] = b;
        pool_count[cls]++;
        return;
    }
    mem_free(p);
}

void obj_pool_drain(void)
{
    for (int i = 0; i < POOL_CLASSES; i++) {
        while (pool[i]) {
            PoolBlock *b = pool[i];
            pool[i] = b->next;
            mem_free(b);
        }
        pool_count[i] = 0;
    }
}

Obj *obj_alloc_var(Vm *vm, size_t fixed, size_t size, ObjKind kind, ObjClass *cls)
{
    size_t rounded;
    Obj *o = pool_get(size, &rounded);
    memset(o, 0, fixed);
    o->flags = (uint16_t)(rounded / 16 < POOL_CLASSES ? (rounded / 16) << 8 : 0);
    o->rc = 1;
    o->kind = (uint16_t)kind;
    o->cls = cls;
    Obj *head = &vm->all;
    o->gc_next = head->gc_next;
    o->gc_prev = head;
    head->gc_next->gc_prev = o;
    head->gc_next = o;
    return o;
}

Obj *obj_alloc(Vm *vm, size_t size, ObjKind kind, ObjClass *cls)
{
    return obj_alloc_var(vm, size, size, kind, cls);
}

/* Frees what o owns besides references: arrays, native resources. */
static void obj_free_parts(Obj *o)
{
    switch ((ObjKind)o->kind) {
    case OBJ_LIST:
        mem_free(((ObjList *)o)->items);
        break;
    case OBJ_DICT:
    case OBJ_SET:
        mem_free(((ObjDict *)o)->entries);
        mem_free(((ObjDict *)o)->index);
        break;
    case OBJ_FUNC:
        mem_free(((ObjFunc *)o)->defaults);
        mem_free(((ObjFunc *)o)->cells);
        break;
    case OBJ_CODE:
        code_free_contents((Code *)o);
        break;
    case OBJ_HANDLE: {
        ObjHandle *h = (ObjHandle *)o;
        if (h->finalize && h->ptr)
            h->finalize(h->ptr);
        h->ptr = NULL;
        break;
    }
    default:
        break;
    }
}

static void release_children(Obj *o)
{
    switch ((ObjKind)o->kind) {
    case OBJ_LIST: {
        ObjList *l = (ObjList *)o;
        for (int64_t i = 0; i < l->len; i++)
            val_decref(l->items[i]);
        l->len = 0;
        break;
    }
    case OBJ_TUPLE: {
        ObjTuple *t = (ObjTuple *)o;
        for (int64_t i = 0; i < t->len; i++)
            val_decref(t->items[i]);
        break;
    }
    case OBJ_DICT:
    case OBJ_SET: {
        ObjDict *d = (ObjDict *)o;
        for (int64_t i = 0; i < d->used; i++) {
            if (d->entries[i].key.kind == V_ERR)
                continue;
            val_decref(d->entries[i].key);
            val_decref(d->entries[i].value);
        }
        d->used = d->len = 0;
        break;
    }
    case OBJ_FUNC: {
        ObjFunc *f = (ObjFunc *)o;
        obj_decref(&f->code->obj);
        if (f->globals)
            obj_decref(&f->globals->obj);
        for (int i = 0; i < f->ndefaults; i++)
            val_decref(f->defaults[i]);
        if (f->kwdefaults)
            obj_decref(&f->kwdefaults->obj);
        if (f->cells)
            for (int i = 0; i < f->code->nfree; i++)
                obj_decref(&f->cells[i]->obj);
        if (f->owner)
            obj_decref(&f->owner->obj);
        break;
    }
    case OBJ_NATIVE:
        val_decref(((ObjNative *)o)->data);
        break;
    case OBJ_BOUND:
        val_decref(((ObjBound *)o)->self);
        val_decref(((ObjBound *)o)->func);
        break;
    case OBJ_CLASS: {
        ObjClass *c = (ObjClass *)o;
        if (c->base)
            obj_decref(&c->base->obj);
        if (c->dict)
            obj_decref(&c->dict->obj);
        break;
    }
    case OBJ_INSTANCE:
        if (((ObjInstance *)o)->dict)
            obj_decref(&((ObjInstance *)o)->dict->obj);
        break;
    case OBJ_MODULE:
        obj_decref(&((ObjModule *)o)->dict->obj);
        break;
    case OBJ_CODE:
        code_release_children((Code *)o);
        break;
    case OBJ_SLICE: {
        ObjSlice *s = (ObjSlice *)o;
        val_decref(s->start);
        val_decref(s->stop);
        val_decref(s->step);
        break;
    }
    case OBJ_ITER:
        val_decref(((ObjIter *)o)->seq);
        val_decref(((ObjIter *)o)->aux);
        break;
    case OBJ_CELL:
        val_decref(((ObjCell *)o)->v);
        break;
    case OBJ_WRAPPER:
        val_decref(((ObjWrapper *)o)->func);
        val_decref(((ObjWrapper *)o)->setter);
        break;
    default:
        break;
    }
    /* the instance's class is a counted reference */
    if (o->kind == OBJ_INSTANCE && o->cls)
        obj_decref(&o->cls->obj);
}

static void obj_unlink(Obj *o)
{
    o->gc_prev->gc_next = o->gc_next;
    o->gc_next->gc_prev = o->gc_prev;
}

/* Releasing a long chain (a linked list of instances) recursively would
 * overflow the C stack: past a depth, objects are queued and released by
 * the outermost call. */
static _Thread_local int release_depth;
static _Thread_local Obj *release_queue;

void obj_release(Obj *o)
{
    if (o->flags & OBJF_IMMORTAL) {
        o->rc = 1 << 30;
        return;
    }
    obj_unlink(o);
    if (release_depth > 200) {
        o->gc_next = release_queue;
        release_queue = o;
        return;
    }
    release_depth++;
    for (;;) {
        release_children(o);
        obj_free_parts(o);
        pool_put(o);
        if (release_depth > 1 || !release_queue)
            break;
        o = release_queue;
        release_queue = o->gc_next;
    }
    release_depth--;
}

/* Frees every object on the VM's list, ignoring counts: cycles included. */
void obj_free_all(Vm *vm);
void obj_free_all(Vm *vm)
{
    Obj *head = &vm->all;
    Obj *o = head->gc_next;
    while (o != head) {
        Obj *next = o->gc_next;
        obj_free_parts(o);
        mem_free(o);
        o = next;
    }
    head->gc_next = head->gc_prev = head;
    obj_pool_drain();
}
