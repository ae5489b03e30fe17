/*
 * code.c -- code objects and the disassembler (`gilscope run --dis`).
 */
#include "code.h"

#include <string.h>

#include "vm.h"

#define OP_NAME(name, has_arg, what) #name,
const char *const opcode_names[OP__COUNT] = {OPCODE_LIST(OP_NAME)};
#undef OP_NAME
#define OP_HAS(name, has_arg, what) has_arg,
const unsigned char opcode_has_arg[OP__COUNT] = {OPCODE_LIST(OP_HAS)};
#undef OP_HAS

Code *code_new(Vm *vm, ObjStr *name, ObjStr *filename)
{
    Code *c = (Code *)obj_alloc(vm, sizeof(Code), OBJ_CODE, vm->types[TY_CODE]);
    c->name = name;
    c->qualname = name;
    c->filename = filename;
    return c;
}

void code_free_contents(Code *c)
{
    mem_free(c->code);
    mem_free(c->lines);
    mem_free(c->consts);
    mem_free(c->names);
    mem_free(c->varnames);
    mem_free(c->cellnames);
    mem_free(c->cell_slot);
    mem_free(c->freenames);
    mem_free(c->gcache);
    mem_free(c->mcache);
    c->code = NULL;
    c->consts = NULL;
}

void code_release_children(Code *c)
{
    for (int i = 0; i < c->nconsts; i++)
        val_decref(c->consts[i]);
    c->nconsts = 0;
}

static void dis_value(Thread *t, Value v, FILE *out)
{
    Value r = vm_repr(t, v);
    if (IS_ERR(r)) {
        vm_exc_clear(t);
        fputs("<?>", out);
        return;
    }
    ObjStr *s = AS_STR(r);
    if (s->len > 40)
        fprintf(out, "%.37s...", s->chars);
    else
        fputs(s->chars, out);
    val_decref(r);
}

void code_disassemble(Thread *t, Code *c, FILE *out)
{
    fprintf(out, "Disassembly of <code %s> (%s, line %d): %d instructions, %d locals, stack %d\n",
            c->name->chars, c->filename->chars, c->firstline, c->len, c->nlocals, c->maxstack);
    int last_line = -1;
    for (int i = 0; i < c->len; i++) {
        uint32_t ins = c->code[i];
        int op = (int)INSTR_OP(ins);
        uint32_t a = INSTR_A(ins);
        if (c->lines[i] != last_line) {
            fprintf(out, "%5d ", c->lines[i]);
            last_line = c->lines[i];
        } else {
            fputs("      ", out);
        }
        fprintf(out, "%6d  %-22s", i, op < OP__COUNT ? opcode_names[op] : "???");
        if (op < OP__COUNT && opcode_has_arg[op]) {
            fprintf(out, "%6u", a);
            switch (op) {
            case OP_LOAD_CONST:
            case OP_BUILD_CLASS:
                fputs("  (", out);
                dis_value(t, c->consts[a], out);
                fputc(')', out);
                break;
            case OP_INCR_FAST:
                if ((a & 0xfff) < (uint32_t)c->nlocals)
                    fprintf(out, "  (%s += %d)", c->varnames[a & 0xfff]->chars, (int)(a >> 12) - 2048);
                break;
            case OP_BINARY_IMM: {
                static const char *const bops[] = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"};
                if ((a & 0xf) < 12)
                    fprintf(out, "  (%s %lld)", bops[a & 0xf], (long long)(a >> 4) - BINIMM_BIAS);
                break;
            }
            case OP_COMPARE_IMM: {
                static const char *const cops[] = {"<", "<=", "==", "!=", ">", ">=", "?", "?"};
                fprintf(out, "  (%s %lld)", cops[a & 7], (long long)(a >> 3) - CMPIMM_BIAS);
                break;
            }
            case OP_LOAD_SMALLINT:
                fprintf(out, "  (%lld)", (long long)a - SMALLINT_BIAS);
                break;
            case OP_LOAD_FAST: case OP_STORE_FAST: case OP_DELETE_FAST:
                if (a < (uint32_t)c->nlocals)
                    fprintf(out, "  (%s)", c->varnames[a]->chars);
                break;
            case OP_LOAD_DEREF: case OP_STORE_DEREF: case OP_LOAD_CLOSURE:
                if (a < (uint32_t)c->ncells)
                    fprintf(out, "  (%s)", c->cellnames[a]->chars);
                else if (a < (uint32_t)(c->ncells + c->nfree))
                    fprintf(out, "  (%s)", c->freenames[a - (uint32_t)c->ncells]->chars);
                break;
            case OP_LOAD_GLOBAL: case OP_STORE_GLOBAL: case OP_DELETE_GLOBAL:
            case OP_LOAD_NAME: case OP_STORE_NAME: case OP_DELETE_NAME:
            case OP_LOAD_ATTR: case OP_STORE_ATTR: case OP_DELETE_ATTR:
            case OP_LOAD_METHOD: case OP_LOAD_SUPER_METHOD: case OP_LOAD_SUPER_ATTR:
            case OP_IMPORT_NAME: case OP_IMPORT_FROM:
                fprintf(out, "  (%s)", c->names[a]->chars);
                break;
            case OP_BINARY: case OP_INPLACE: {
                static const char *const ops[] = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"};
                if (a < 12)
                    fprintf(out, "  (%s)", ops[a]);
                break;
            }
            default:
                if (op == OP_JUMP || op == OP_JUMP_BACK || op == OP_FOR_ITER || op == OP_SETUP_TRY ||
                    op == OP_POP_JUMP_IF_FALSE || op == OP_POP_JUMP_IF_TRUE ||
                    op == OP_POP_JUMP_BACK_IF_TRUE || op == OP_JUMP_IF_FALSE_OR_POP ||
                    op == OP_JUMP_IF_TRUE_OR_POP)
                    fprintf(out, "  (to %u)", a);
                break;
            }
        }
        fputc('\n', out);
    }
    for (int i = 0; i < c->nconsts; i++) {
        if (IS_KIND(c->consts[i], OBJ_CODE)) {
            fputc('\n', out);
            code_disassemble(t, (Code *)AS_OBJ(c->consts[i]), out);
        }
    }
}
