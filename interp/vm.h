/*
 * vm.h -- the virtual machine: one Vm per interpreter (per process), one
 * Thread per interpreter thread.  State is always passed, never global.
 *
 * The protocol functions below (vm_call, vm_getattr, vm_repr, ...) are what
 * natives use to act on arbitrary values; each may run Python code and so
 * may fail: they return VAL_ERR / -1 with an exception set in t->exc.
 */
#ifndef INTERP_VM_H
#define INTERP_VM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include "object.h"
#include "trace.h"

typedef struct Gil Gil;

/* Builtin types: vm->types[TY_x] is the class of such values. */
#define TYPE_LIST(X)                                                        \
    X(OBJECT, "object") X(NONETYPE, "NoneType") X(BOOL, "bool")             \
    X(INT, "int") X(FLOAT, "float") X(STR, "str") X(BYTES, "bytes")         \
    X(LIST, "list") X(TUPLE, "tuple") X(DICT, "dict") X(SET, "set")         \
    X(RANGE, "range") X(SLICE, "slice") X(FUNCTION, "function")             \
    X(BUILTIN, "builtin_function_or_method") X(METHOD, "method")            \
    X(TYPE, "type") X(MODULE, "module") X(ITERATOR, "iterator")             \
    X(CELL, "cell") X(CODE, "code") X(STATICMETHOD, "staticmethod")         \
    X(CLASSMETHOD, "classmethod") X(PROPERTY, "property") X(HANDLE, "handle")

#define TY_ENUM(id, name) TY_##id,
typedef enum { TYPE_LIST(TY_ENUM) TY__COUNT } TypeId;
#undef TY_ENUM

/* Builtin exception classes: (name, base). */
#define EXC_LIST(X)                                                         \
    X(BaseException, BaseException)                                         \
    X(SystemExit, BaseException)                                            \
    X(KeyboardInterrupt, BaseException)                                     \
    X(Exception, BaseException)                                             \
    X(StopIteration, Exception)                                             \
    X(ArithmeticError, Exception)                                           \
    X(ZeroDivisionError, ArithmeticError)                                   \
    X(OverflowError, ArithmeticError)                                       \
    X(AssertionError, Exception)                                            \
    X(AttributeError, Exception)                                            \
    X(EOFError, Exception)                                                  \
    X(ImportError, Exception)                                               \
    X(ModuleNotFoundError, ImportError)                                     \
    X(LookupError, Exception)                                               \
    X(IndexError, LookupError)                                              \
    X(KeyError, LookupError)                                                \
    X(MemoryError, Exception)                                               \
    X(NameError, Exception)                                                 \
    X(UnboundLocalError, NameError)                                         \
    X(OSError, Exception)                                                   \
    X(BlockingIOError, OSError)                                             \
    X(ConnectionError, OSError)                                             \
    X(BrokenPipeError, ConnectionError)                                     \
    X(ConnectionResetError, ConnectionError)                                \
    X(ConnectionRefusedError, ConnectionError)                              \
    X(FileNotFoundError, OSError)                                           \
    X(InterruptedError, OSError)                                            \
    X(TimeoutError, OSError)                                                \
    X(RuntimeError, Exception)                                              \
    X(NotImplementedError, RuntimeError)                                    \
    X(RecursionError, RuntimeError)                                         \
    X(SyntaxError, Exception)                                               \
    X(TypeError, Exception)                                                 \
    X(ValueError, Exception)                                                \
    X(UnicodeError, ValueError)                                             \
    X(UnicodeDecodeError, UnicodeError)                                     \
    X(UnicodeEncodeError, UnicodeError)

#define EXC_ENUM(name, base) EXC_##name,
typedef enum { EXC_LIST(EXC_ENUM) EXC__COUNT } ExcId;
#undef EXC_ENUM

typedef struct Frame Frame;

/* One interpreter thread.  Fields above the line are what natives may use. */
struct Thread {
    Vm *vm;
    Value exc;              /* the pending exception (an instance), VAL_ERR if none */
    /* ---- VM private ---- */
    _Atomic uint64_t tick_limit;   /* ticks >= this: the loop takes its slow path
                                       (other threads store 0 to force it) */
    _Atomic uint32_t eval_breaker; /* VM_BRK_* bits: why the slow path was forced */
    Frame *frames;          /* frame stack (frames[0..depth)) */
    int depth, frames_cap;
    Value *stack;           /* value stack shared by all frames */
    Value *stack_end;
    Value *sp;              /* top of the value stack while C code runs */
    struct Block *blocks;   /* handler blocks of all frames */
    int nblocks, blocks_cap;
    bool reraise;           /* the error being unwound was re-raised: no new traceback line */
    int native_depth;       /* nested vm_call()s from C */
    Value handling;         /* the exception being handled (sys.exc_info), or VAL_ERR */
    uint64_t ticks;         /* instructions executed (Beazley's x-axis) */
    uint64_t ticks_at_acquire; /* ticks when it last took the GIL */
    Thread *next_thread;
    /* ---- threads (vm.c, gil*.c) ---- */
    uint32_t id;            /* 0 for the main thread, then 1, 2, ...: the trace's thread id */
    uint64_t ident;         /* threading.get_ident() */
    pthread_t os_thread;
    TraceBuf *tb;           /* this thread's trace buffer, or NULL when not tracing */
    int block_kind;         /* TraceBlock of the blocking call in progress, or -1 */
    int block_depth;        /* nested vm_blocking_begin()s */
    bool holds_gil;
    bool cpu_bound;         /* priority policy: its last release was forced */
    bool fifo_granted;      /* fifo policy: the GIL was handed to it */
    pthread_cond_t fifo_cond; /* fifo policy: where it waits for the hand-off */
    Thread *fifo_next;      /* fifo policy: the queue of waiters */
    bool finished;          /* its function returned; the OS thread is ending */
};

/* eval_breaker bits */
enum { VM_BRK_SIGINT = 1, VM_BRK_DROP = 2 };

typedef enum { VM_MODE_THREADS, VM_MODE_PROCESSES, VM_MODE_SEQUENTIAL } VmMode;

/* Options fixed when a Vm is made. */
typedef struct VmConfig {
    const char *script_path;    /* shown in tracebacks and as __file__ */
    int argc;                   /* sys.argv */
    char **argv;
    int mode;                   /* VmMode */
    int gil_kind;               /* GilKind (gil.h); 0 = newgil */
    double switch_interval;     /* seconds; 0 = the default 5 ms */
    int check_interval;         /* legacy ticks; 0 = the default 100 */
    Tracer *tracer;             /* NULL: no trace */
} VmConfig;

struct Vm {
    ObjClass *types[TY__COUNT];
    ObjClass *exc[EXC__COUNT];
    ObjDict *builtins;          /* the builtins namespace */
    ObjDict *modules;           /* sys.modules: name -> module */
    ObjDict *interned;          /* str -> itself */
    Obj all;                    /* sentinel of the list of live objects */
    Thread *main;               /* the main thread */
    Thread *threads;            /* all threads (list via next_thread) */
    Gil *gil;                   /* the lock every thread of this process shares */
    Tracer *tracer;             /* NULL when not tracing */
    uint32_t next_thread_id;
    pthread_mutex_t threads_lock; /* guards the threads list and nthreads_alive */
    int nthreads_alive;         /* OS threads started and not finished (main excluded) */
    pthread_cond_t threads_cond; /* signalled when a thread finishes */
    int mode;                   /* VmMode */
    int recursion_limit;        /* sys.setrecursionlimit */
    int max_depth;              /* min(recursion_limit, VM_MAX_FRAMES - 1) */
    double ram_bytes;           /* the machine's memory (vm_check_alloc) */
    double switch_interval;     /* sys.setswitchinterval, seconds */
    volatile int sigint;        /* SIGINT arrived: KeyboardInterrupt at the next check */
    Obj *list_append;           /* the native list.append, which calls inline */
    char *script_dir;           /* where `import name` looks for name.py */
    VmConfig cfg;
    ObjStr *s_init, *s_name, *s_main, *s_str, *s_repr, *s_call, *s_eq,
           *s_hash, *s_len, *s_enter, *s_exit, *s_iter, *s_next, *s_args,
           *s_getitem, *s_setitem, *s_contains, *s_bool, *s_doc, *s_module,
           *s_lt, *s_le, *s_gt, *s_ge, *s_ne, *s_add, *s_sub, *s_mul,
           *s_run, *s_file, *s_qualname, *s_bases, *s_dict_name, *s_class_name,
           *s_self_name, *s_func_name; /* interned names the VM looks up often */
};

/* ---- lifetime ----------------------------------------------------------- */

/* Makes a VM with its builtins and main thread.  Never NULL (aborts on OOM). */
Vm *vm_new(const VmConfig *cfg);
/* Frees every object (cycles too) and the VM itself. */
void vm_free(Vm *vm);

/* Result of running a whole program. */
typedef enum { VM_OK = 0, VM_SYNTAX_ERROR = 65, VM_RUNTIME_ERROR = 70, VM_IO_ERROR = 74 } VmStatus;

/* Compiles and runs source as module __main__ on the main thread.  On an
 * uncaught exception prints a traceback to stderr.  SystemExit(n) sets
 * *exit_code to n and returns VM_OK. */
VmStatus vm_run_main(Vm *vm, const char *path, const char *src, size_t len, int *exit_code);

/* ---- exceptions ----------------------------------------------------------- */

/* Sets a new exception of class vm->exc[id] with a printf-style message and
 * returns VAL_ERR (so natives can write `return vm_raise(...)`). */
Value vm_raise(Thread *t, ExcId id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Ctrl-C: true when a SIGINT is waiting for t (only the main thread takes
 * it).  Blocking natives check it when their wait is cut short. */
bool vm_interrupt_pending(Thread *t);
/* Consumes the pending SIGINT (flag and eval-breaker bit, so the loop does
 * not raise it twice) and raises KeyboardInterrupt: VAL_ERR. */
/* raise ID() with no arguments (MemoryError, as CPython raises it) */
Value vm_raise_empty(Thread *t, ExcId id);
Value vm_raise_interrupt(Thread *t);
/* Sets exc (an exception instance or class, borrowed) as pending. */
Value vm_raise_value(Thread *t, Value exc);
/* OSError (or the matching subclass) from errno, as CPython does: "[Errno N] text". */
Value vm_raise_errno(Thread *t, int err, const char *filename);
/* True if an exception is pending and is an instance of vm->exc[id]. */
bool vm_exc_matches(Thread *t, ExcId id);
void vm_exc_clear(Thread *t);

/* ---- calls and attributes ---------------------------------------------- */

/* callee(*argv) with the last kwnames->len values passed by name (kwnames
 * may be NULL).  Works for functions, natives, bound methods, classes and
 * instances with __call__. */
Value vm_call(Thread *t, Value callee, int argc, const Value *argv, ObjTuple *kwnames);
/* self.name(*argv) */
Value vm_call_method(Thread *t, Value self, ObjStr *name, int argc, const Value *argv);
Value vm_getattr(Thread *t, Value obj, ObjStr *name);
/* As vm_getattr, but returns VAL_ERR with NO exception when absent. */
Value vm_getattr_opt(Thread *t, Value obj, ObjStr *name);
int vm_setattr(Thread *t, Value obj, ObjStr *name, Value v);       /* 0 / -1 */
/* The method `name` found on v's class (not the instance), borrowed, or NULL. */
Value *vm_class_lookup(ObjClass *cls, ObjStr *name);

/* ---- the object protocol ------------------------------------------------- */

ObjClass *vm_class_of(Vm *vm, Value v);
const char *vm_type_name(Vm *vm, Value v);
bool vm_is_subclass(const ObjClass *c, const ObjClass *base);
bool vm_isinstance(Vm *vm, Value v, const ObjClass *cls);
Value vm_str(Thread *t, Value v);           /* str(v): a str Value */
Value vm_repr(Thread *t, Value v);          /* repr(v): a str Value */
int vm_truthy(Thread *t, Value v);          /* 1 / 0 / -1 */
int vm_eq(Thread *t, Value a, Value b);     /* a == b: 1 / 0 / -1 */
/* Rich comparison for ordering, op one of CMP_LT, CMP_LE, CMP_GT, CMP_GE: 1 / 0 / -1. */
enum { CMP_LT, CMP_LE, CMP_EQ, CMP_NE, CMP_GT, CMP_GE };
int vm_compare(Thread *t, Value a, Value b, int op);
int vm_hash(Thread *t, Value v, uint64_t *out);   /* 0 / -1 (unhashable) */
/* C code that recurses through containers (repr, ==, <, hash) counts its
 * depth with the calls made from C, so a deeply nested list raises
 * RecursionError ("maximum recursion depth exceeded WHAT"), as in CPython,
 * instead of overflowing the C stack.  false: raised. */
bool vm_enter_recursive(Thread *t, const char *what);
/* A thread's frames are one fixed array (mapped, committed as it is used),
 * so a Frame pointer held by C code across a nested call stays valid;
 * deeper recursion than this is a RecursionError whatever the limit. */
#define VM_MAX_FRAMES 65536
void vm_set_recursion_limit(Vm *vm, int limit);
/* false (MemoryError raised) when one object of this many bytes could not
 * fit in the machine's memory: [0] * 10**15 is a MemoryError, as in
 * CPython, not an abort in malloc or a run into the OOM killer. */
bool vm_check_alloc(Thread *t, double bytes);
static inline void vm_leave_recursive(Thread *t) { t->native_depth--; }
int64_t vm_len(Thread *t, Value v);               /* >= 0, or -1 */
Value vm_iter(Thread *t, Value v);                /* iter(v) */
/* next(it): a new reference; VAL_ERR with t->exc == VAL_ERR when exhausted. */
Value vm_next(Thread *t, Value it);
Value vm_getitem(Thread *t, Value obj, Value key);
int vm_setitem(Thread *t, Value obj, Value key, Value v);
int vm_contains(Thread *t, Value container, Value item);   /* 1 / 0 / -1 */
/* Binary arithmetic: op is one of the BINOP_ codes. */
enum { BINOP_ADD, BINOP_SUB, BINOP_MUL, BINOP_TRUEDIV, BINOP_FLOORDIV, BINOP_MOD,
       BINOP_POW, BINOP_LSHIFT, BINOP_RSHIFT, BINOP_AND, BINOP_OR, BINOP_XOR,
       BINOP__COUNT };
Value vm_binop(Thread *t, int op, Value a, Value b);
/* The index of an int-like value, or -1 with TypeError set (check t->exc). */
bool vm_to_index(Thread *t, Value v, int64_t *out);
/* A float from an int, bool or float; false with TypeError otherwise. */
bool vm_to_double(Thread *t, Value v, double *out);
/* Collects any iterable into a new list. */
ObjList *vm_list_from_iter(Thread *t, Value iterable);

/* Makes a native function object (for module tables and bound natives). */
Value vm_native_new(Vm *vm, const char *name, NativeFn fn, Value data);
/* A new module object registered in vm->modules. */
ObjModule *vm_module_new(Vm *vm, const char *name);
/* A builtin class whose instances have the given layout (OBJ_HANDLE for
 * native resources) and whose methods are the table's natives, bound to the
 * instance when read from it.  Immortal, like the other type objects. */
ObjClass *vm_native_class(Vm *vm, const char *name, ObjKind layout, const NativeDef *methods);
/* Adds table's functions to a namespace dict. */
void vm_add_natives(Vm *vm, ObjDict *ns, const NativeDef *table);

/* ---- argument parsing ------------------------------------------------------ */

/* Matches positional and keyword arguments against parameter names.
 * names[0..nmax) are the parameters, the first nreq required; out[i] is the
 * borrowed argument or VAL_ERR if not given.  Raises TypeError as CPython
 * does ("f() takes at most 2 arguments (3 given)", "f() got an unexpected
 * keyword argument 'x'") and returns false. */
bool arg_parse(Thread *t, const char *fname, int argc, const Value *argv, ObjTuple *kwnames,
               const char *const *names, int nreq, int nmax, Value *out);
/* Convenience: raises TypeError unless nmin <= argc <= nmax and no keywords. */
bool arg_count(Thread *t, const char *fname, int argc, ObjTuple *kwnames, int nmin, int nmax);

/* ---- threads and blocking calls ------------------------------------------- */

/* Around a blocking system call, as CPython's Py_BEGIN/END_ALLOW_THREADS:
 * records BLOCK_BEGIN (kind a TraceBlock), releases the GIL, ...; then
 * retakes the GIL and records BLOCK_END.  Between the two the caller must
 * not touch any Python object (others run).  Nests: only the outer pair
 * releases. */
void vm_blocking_begin(Thread *t, int kind);
void vm_blocking_end(Thread *t);

/* Starts fn(*args, **kwargs) on a new OS thread sharing this VM (and its
 * GIL).  Returns the new thread's ident, or 0 with an exception set. */
uint64_t vm_thread_start(Thread *t, Value fn, Value args, Value kwargs, const char *name);
/* In a child just forked by t (which held the GIL): the child's own GIL
 * (held by t), its own trace (trace_after_fork), the parent's other threads
 * marked finished.  Call before running any Python code in the child.
 * Before forking, call vm_flush_out() so no buffered output is doubled. */
void vm_after_fork_child(Thread *t);
/* Ends the child process: waits for its non-daemon threads, flushes
 * stdout, closes its trace, and _exit()s with status. */
void vm_child_exit(Thread *t, int status) __attribute__((noreturn));

/* Sets the trace name of a thread (threading.Thread.name). */
void vm_thread_set_name(Thread *t, const char *name);
/* The Thread running the given ident, or NULL. */
Thread *vm_thread_by_ident(Vm *vm, uint64_t ident);

/* ---- output -------------------------------------------------------------- */

/* The workload's stdout (buffered like CPython's: line-buffered on a tty). */
void vm_write_out(Vm *vm, const char *s, size_t len);
void vm_flush_out(Vm *vm);

/* ---- builtins and modules (builtins.c, modules/) ------------------------- */

extern const NativeDef builtin_functions[];
/* A module implemented in C: functions plus an init hook for constants. */
typedef struct ModuleDef {
    const char *name;
    const NativeDef *functions;
    void (*init)(Thread *t, ObjModule *m);  /* may be NULL */
} ModuleDef;
extern const ModuleDef mod_time, mod_os, mod_sys, mod_math, mod_thread;
extern const ModuleDef mod_socket, mod_process;

/* ---- added by the builtins/numbers engineer (numbers.c) -------------------- */

/* The message of the OverflowError raised when an int leaves int64. */
#define NUM_OVERFLOW_MSG "int too large for gilscope (64-bit ints)"
/* int(d) for a float: truncates toward zero.  OverflowError for an infinity
 * or a value beyond int64, ValueError for NaN; returns VAL_ERR then. */
Value num_int_from_double(Thread *t, double d);

#endif
