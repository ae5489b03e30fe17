/*
 * opcodes.h -- the one list of opcodes.  Each instruction is a 32-bit word:
 * the opcode in the low 8 bits, its argument A in the high 24 bits.  The
 * X-macro generates the enum, the names, whether A is used, and the
 * computed-goto jump table, so they cannot drift apart.
 *
 *   X(name, has_arg, what it does; stack before -> after)
 */
#ifndef INTERP_OPCODES_H
#define INTERP_OPCODES_H

#include <stdint.h>

#define OPCODE_LIST(X) \
    X(NOP,            0, "nothing") \
    X(POP_TOP,        0, "x ->") \
    X(DUP_TOP,        0, "x -> x x") \
    X(DUP_TOP_TWO,    0, "x y -> x y x y") \
    X(ROT_TWO,        0, "x y -> y x") \
    X(ROT_THREE,      0, "x y z -> z x y") \
    X(ROT_FOUR,       0, "w x y z -> z w x y") \
    X(LOAD_CONST,     1, "-> consts[A]") \
    X(LOAD_SMALLINT,  1, "-> int(A - 2^23)") \
    X(LOAD_NONE,      0, "-> None") \
    X(LOAD_FAST,      1, "-> slot[A] (UnboundLocalError if unset)") \
    X(STORE_FAST,     1, "x -> ; slot[A] = x") \
    X(DELETE_FAST,    1, "slot[A] unset") \
    X(LOAD_DEREF,     1, "-> cells[A].value") \
    X(STORE_DEREF,    1, "x -> ; cells[A].value = x") \
    X(LOAD_CLOSURE,   1, "-> cells[A] (the cell itself)") \
    X(LOAD_GLOBAL,    1, "-> globals or builtins[names[A]]") \
    X(STORE_GLOBAL,   1, "x -> ; globals[names[A]] = x") \
    X(DELETE_GLOBAL,  1, "del globals[names[A]]") \
    X(LOAD_NAME,      1, "-> locals, globals or builtins[names[A]] (class bodies)") \
    X(STORE_NAME,     1, "x -> ; locals[names[A]] = x") \
    X(DELETE_NAME,    1, "del locals[names[A]]") \
    X(LOAD_LOCALS,    0, "-> the frame's locals dict") \
    X(LOAD_ATTR,      1, "o -> o.names[A]") \
    X(STORE_ATTR,     1, "v o -> ; o.names[A] = v") \
    X(DELETE_ATTR,    1, "o -> ; del o.names[A]") \
    X(LOAD_METHOD,    1, "o -> meth o | ERR callable") \
    X(LOAD_SUPER_METHOD, 1, "-> meth self: super().names[A] (self = slot 0)") \
    X(LOAD_SUPER_ATTR, 1, "-> super().names[A] bound to slot 0") \
    X(ADD,            0, "a b -> a + b") \
    X(SUB,            0, "a b -> a - b") \
    X(MUL,            0, "a b -> a * b") \
    X(BINARY,         1, "a b -> a (op A) b") \
    X(INPLACE_ADD,    0, "a b -> a += b") \
    X(INPLACE_SUB,    0, "a b -> a -= b") \
    X(INPLACE,        1, "a b -> a (op A)= b") \
    X(INCR_FAST,      1, "slot[A & 0xfff] += (A >> 12) - 2048 (x += k, x -= k on a local)") \
    X(BINARY_IMM,     1, "a -> a (op A & 0xf) k, k = (A >> 4) - 2^19 (a literal int operand)") \
    X(COMPARE_IMM,    1, "a -> a (cmp A & 7) k, k = (A >> 3) - 2^20 (fused with a following jump)") \
    X(LT,             0, "a b -> a < b") \
    X(LE,             0, "a b -> a <= b") \
    X(EQ,             0, "a b -> a == b") \
    X(NE,             0, "a b -> a != b") \
    X(GT,             0, "a b -> a > b") \
    X(GE,             0, "a b -> a >= b") \
    X(IS,             0, "a b -> a is b") \
    X(IS_NOT,         0, "a b -> a is not b") \
    X(IN,             0, "a b -> a in b") \
    X(NOT_IN,         0, "a b -> a not in b") \
    X(UNARY_NEG,      0, "a -> -a") \
    X(UNARY_POS,      0, "a -> +a") \
    X(UNARY_NOT,      0, "a -> not a") \
    X(UNARY_INVERT,   0, "a -> ~a") \
    X(SUBSCR,         0, "o k -> o[k]") \
    X(STORE_SUBSCR,   0, "v o k -> ; o[k] = v") \
    X(SLICE,          0, "o lo hi -> o[lo:hi] (no slice object for str, list, tuple)") \
    X(DELETE_SUBSCR,  0, "o k -> ; del o[k]") \
    X(BUILD_SLICE,    1, "lo hi [step] -> slice (A = 2 or 3)") \
    X(BUILD_LIST,     1, "x1..xA -> [x1..xA]") \
    X(BUILD_TUPLE,    1, "x1..xA -> (x1..xA)") \
    X(BUILD_SET,      1, "x1..xN -> {x1..xN} (N = A & 0x7fffff; bit 23: constants, CPython's frozenset order)") \
    X(BUILD_DICT,     1, "k1 v1..kA vA -> {k1: v1..}") \
    X(BUILD_STRING,   1, "s1..sA -> s1 + .. + sA") \
    X(FORMAT_VALUE,   1, "v [spec] -> str (A: bit 0 has spec, bits 1-2 conv 0/r/s/a)") \
    X(LIST_APPEND,    1, "L.. x -> L.. ; L (A deep) .append(x)") \
    X(SET_ADD,        1, "S.. x -> S.. ; S (A deep) .add(x)") \
    X(MAP_ADD,        1, "D.. k v -> D.. ; D (A deep)[k] = v") \
    X(LIST_EXTEND,    0, "L it -> L (extended)") \
    X(SET_UPDATE,     0, "S it -> S (every item added)") \
    X(DICT_UPDATE,    0, "D m -> D (updated, for ** in calls and displays)") \
    X(LIST_TO_TUPLE,  0, "L -> tuple(L)") \
    X(UNPACK_SEQUENCE, 1, "seq -> xA..x1") \
    X(UNPACK_EX,      1, "seq -> ... (A = before | after << 8, starred in between)") \
    X(JUMP,           1, "ip = A") \
    X(JUMP_BACK,      1, "ip = A; checks the trap (loops)") \
    X(POP_JUMP_IF_FALSE, 1, "x -> ; if not x: ip = A") \
    X(POP_JUMP_IF_TRUE, 1, "x -> ; if x: ip = A") \
    X(POP_JUMP_BACK_IF_TRUE, 1, "x -> ; if x: ip = A, checking the trap (loop tests)") \
    X(JUMP_IF_FALSE_OR_POP, 1, "x -> x (jump) | -> (fall through)") \
    X(JUMP_IF_TRUE_OR_POP, 1, "x -> x (jump) | -> (fall through)") \
    X(GET_ITER,       0, "x -> iter(x)") \
    X(FOR_ITER,       1, "it -> it next | (exhausted: pop, ip = A)") \
    X(CALL,           1, "f a1..aA -> f(a1..aA)") \
    X(CALL_KW,        1, "f a1..aA names -> f(...), the last len(names) args by name") \
    X(CALL_METHOD,    1, "m self a1..aA -> m(self, a1..aA) | ERR f a1..aA -> f(a1..aA)") \
    X(CALL_METHOD_KW, 1, "as CALL_METHOD with a names tuple on top") \
    X(CALL_EX,        1, "f args [kwargs] -> f(*args, **kwargs) (A = 1 if kwargs)") \
    X(RETURN_VALUE,   0, "x -> return x") \
    X(MAKE_FUNCTION,  1, "[defaults] [kwdefaults] [closure] code -> function (A: bits 1 2 4)") \
    X(BUILD_CLASS,    1, "ns bases -> class named consts[A]") \
    X(SETUP_TRY,      1, "push a handler at A (try/except, finally and with)") \
    X(POP_BLOCK,      0, "pop the innermost handler") \
    X(POP_EXCEPT,     0, "exc -> ; leave an except/finally handler") \
    X(EXC_MATCH,      0, "exc type -> exc bool") \
    X(RAISE,          1, "[exc [cause]] -> raise (A = 0 re-raise, 1, 2)") \
    X(RERAISE,        0, "exc -> re-raise exc, keeping its traceback") \
    X(BEFORE_WITH,    0, "cm -> exit enter_result") \
    X(WITH_EXIT,      0, "exit -> ; exit(None, None, None)") \
    X(WITH_EXCEPT,    0, "exit exc -> exit exc bool (True: suppress)") \
    X(LOAD_ASSERTION, 0, "-> AssertionError") \
    X(IMPORT_NAME,    1, "-> module names[A]") \
    X(IMPORT_FROM,    1, "m -> m m.names[A]") \
    X(IMPORT_STAR,    0, "m -> ; copies public names into globals")

#define OP_ENUM(name, has_arg, what) OP_##name,
typedef enum { OPCODE_LIST(OP_ENUM) OP__COUNT } Opcode;
#undef OP_ENUM

#define INSTR(op, a)  ((uint32_t)(op) | ((uint32_t)(a) << 8))
#define INSTR_OP(i)   ((i) & 0xffu)
#define INSTR_A(i)    ((i) >> 8)
#define INSTR_A_MAX   0xffffffu
#define SMALLINT_BIAS (1 << 23)
#define BINIMM_BIAS (1 << 19)
#define CMPIMM_BIAS (1 << 20)

extern const char *const opcode_names[OP__COUNT];
extern const unsigned char opcode_has_arg[OP__COUNT];

#endif
