/*
 * fuzz_compile.c -- libFuzzer target: the workload front end (lexer, parser
 * and compiler) on arbitrary bytes.  Nothing is executed.
 *
 * Each input runs the lexer alone to its end, then compile_module (which
 * parses and compiles), then the disassembler of `gilscope run --dis` over
 * the code made.  Every allocation is released before returning, so
 * LeakSanitizer's reports are real leaks; on top of that, objects are
 * counted: after the code object is released, every object the compiler made
 * must be gone again except interned strings (immortal by design), or the
 * input aborts as a reference leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/ast.h"
#include "interp/compiler.h"
#include "interp/lexer.h"
#include "interp/object.h"
#include "interp/vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Vm *vm;
static FILE *devnull;

static size_t mortal_objects(void)
{
    size_t n = 0;
    for (Obj *o = vm->all.gc_next; o != &vm->all; o = o->gc_next)
        if (!(o->flags & OBJF_IMMORTAL))
            n++;
    return n;
}

static void lex_all(const char *src, size_t len)
{
    Arena *arena = arena_new();
    Lexer *lx = lexer_new("<fuzz>", src, len, arena);
    /* Every token consumes input or ends it; the bound is a hang check. */
    for (size_t i = 0; i < 4 * len + 64; i++) {
        Token t = lexer_next(lx);
        if (t.kind == T_EOF || t.kind == T_ERROR)
            break;
    }
    lexer_free(lx);
    arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* One VM for many inputs (making one costs more than most compiles);
     * a fresh one now and then, so interned names do not pile up. */
    static unsigned uses;
    if (vm && ++uses % 4096 == 0) {
        vm_free(vm);
        vm = NULL;
    }
    if (!vm)
        vm = vm_new(&(VmConfig){0});
    if (!devnull && !(devnull = fopen("/dev/null", "w")))
        abort();
    const char *src = (const char *)data;
    lex_all(src, size);

    size_t before = mortal_objects();
    ParseError err;
    memset(&err, 0, sizeof err);
    Code *code = compile_module(vm, "<fuzz>", src, size, &err);
    if (code) {
        /* `gilscope run --dis`: the disassembler walks every code object */
        code_disassemble(vm->main, code, devnull);
        obj_decref(&code->obj);
    } else {
        /* A failed compile must say why, with a position. */
        if (!err.msg[0] || !err.kind[0] || err.line < 0 || err.col < 0) {
            fprintf(stderr, "fuzz_compile: compile failed without a proper error (%d:%d %s: %s)\n",
                    err.line, err.col, err.kind, err.msg);
            abort();
        }
        if (!memchr(err.msg, '\0', sizeof err.msg) || !memchr(err.kind, '\0', sizeof err.kind))
            abort();
    }
    size_t after = mortal_objects();
    if (after != before) {
        fprintf(stderr, "fuzz_compile: %zu object(s) leaked by the compiler\n", after - before);
        abort();
    }
    return 0;
}
