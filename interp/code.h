/*
 * code.h -- compiled code objects and the disassembler.
 */
#ifndef INTERP_CODE_H
#define INTERP_CODE_H

#include <stdio.h>
#include "object.h"
#include "opcodes.h"

enum {
    CO_VARARGS = 1,     /* has *args (slot nparams) */
    CO_VARKW = 2,       /* has **kwargs (slot after *args) */
    CO_CLASSBODY = 4,   /* runs with a locals dict; returns it */
    CO_MODULE = 8,      /* module code: names are globals */
    CO_SIMPLE = 16      /* positional-only calling fast path applies */
};

/* Where a global name was last found: entry idx of dict d (validated by
 * checking that the entry still holds the same interned key). */
typedef struct GlobalCache {
    ObjDict *d;
    int64_t idx;
    ObjDict *globals;       /* d is the builtins: the name was absent from */
    uint64_t gversion;      /* these globals at this version */
} GlobalCache;

struct Code {
    Obj obj;
    uint32_t *code;         /* instructions */
    int32_t *lines;         /* line of each instruction */
    int len, cap;
    Value *consts;          /* owned */
    int nconsts, consts_cap;
    ObjStr **names;         /* interned names for *_GLOBAL, *_ATTR, ... */
    int nnames, names_cap;
    ObjStr **varnames;      /* local slot names (params first) */
    int nlocals;            /* slots, params included */
    int nparams;            /* positional parameters */
    int nkwonly;            /* keyword-only parameters (slots after positional) */
    int flags;              /* CO_* */
    ObjStr **cellnames;     /* cells this code owns (captured locals) */
    int ncells;
    int *cell_slot;         /* for each cell that is a parameter: its slot, else -1 */
    ObjStr **freenames;     /* cells it receives from its definer */
    int nfree;
    int maxstack;           /* deepest operand stack */
    ObjStr *name;           /* function name ("<module>") */
    ObjStr *qualname;
    ObjStr *filename;
    int firstline;
    GlobalCache *gcache;    /* one per name, made on first LOAD_GLOBAL */
    GlobalCache *mcache;    /* one per name, made on first LOAD_METHOD:
                               d = the class, globals = the dict it was found in */
};

Code *code_new(Vm *vm, ObjStr *name, ObjStr *filename);
void code_free_contents(Code *c);       /* frees arrays (not the constants' objects) */
void code_release_children(Code *c);    /* decrefs constants */
/* Prints a listing of c and, recursively, the code objects among its constants. */
void code_disassemble(Thread *t, Code *c, FILE *out);

#endif
