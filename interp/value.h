/*
 * value.h -- the tagged value every slot, stack cell and container holds.
 *
 * None, bools, ints (64-bit) and floats live in the Value itself: no heap,
 * no reference count.  Everything else is a pointer to an Obj (object.h)
 * whose reference count the holder owns.
 *
 * Ownership convention (as in CPython): a function that returns a Value
 * returns a NEW reference; arguments are BORROWED.  V_ERR is not a Python
 * value: it is returned to say "an exception is pending in t->exc".
 */
#ifndef INTERP_VALUE_H
#define INTERP_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Obj Obj;

typedef enum {
    V_ERR = 0, /* no value: an exception is pending (or "absent" in arg lists) */
    V_NONE,
    V_BOOL,
    V_INT,
    V_FLOAT,
    V_OBJ
} VKind;

typedef struct Value {
    uint64_t kind;          /* a VKind (a full word: see the note above) */
    union {
        int64_t i;          /* V_INT, and V_BOOL (0 or 1) */
        double f;           /* V_FLOAT */
        Obj *o;             /* V_OBJ */
    } as;
} Value;

#define VAL_ERR   ((Value){.kind = V_ERR, .as = {.i = 0}})
#define VAL_NONE  ((Value){.kind = V_NONE, .as = {.i = 0}})
#define VAL_TRUE  ((Value){.kind = V_BOOL, .as = {.i = 1}})
#define VAL_FALSE ((Value){.kind = V_BOOL, .as = {.i = 0}})

static inline Value val_int(int64_t i) { Value v; v.kind = V_INT; v.as.i = i; return v; }
static inline Value val_float(double f) { Value v; v.kind = V_FLOAT; v.as.f = f; return v; }
static inline Value val_bool(bool b) { Value v; v.kind = V_BOOL; v.as.i = b ? 1 : 0; return v; }
/* Wraps o WITHOUT touching its count: use for a reference you own. */
static inline Value val_obj(Obj *o) { Value v; v.kind = V_OBJ; v.as.o = o; return v; }

#define IS_ERR(v)   ((v).kind == V_ERR)
#define IS_NONE(v)  ((v).kind == V_NONE)
#define IS_BOOL(v)  ((v).kind == V_BOOL)
#define IS_INT(v)   ((v).kind == V_INT)
#define IS_FLOAT(v) ((v).kind == V_FLOAT)
#define IS_OBJ(v)   ((v).kind == V_OBJ)
/* int or bool: Python's bool is a subclass of int. */
#define IS_INTLIKE(v) ((v).kind == V_INT || (v).kind == V_BOOL)

#endif
