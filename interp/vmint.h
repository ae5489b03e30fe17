/*
 * vmint.h -- the VM's internals that its own files share (vm.c, thread.c),
 * not part of the interface natives use.
 */
#ifndef INTERP_VMINT_H
#define INTERP_VMINT_H

#include "vm.h"

/* A new Thread with a value stack of stack_values, on vm's list. */
Thread *vm_thread_alloc(Vm *vm, size_t stack_values);
/* Frees a finished thread's stacks (the Thread stays until vm_free). */
void vm_thread_free_stacks(Thread *t);
/* Prints t's pending exception with its traceback on stderr, and clears it. */
void vm_print_exception(Thread *t);
/* Prints exc (borrowed) with its traceback (and chain) on stderr. */
void vm_print_exception_value(Thread *t, Value exc);
/* fn(*args, **kwargs) for a tuple (or VAL_NONE) and a dict (or VAL_NONE). */
Value vm_call_args(Thread *t, Value fn, Value args, Value kwargs);
/* Sends sig to every child process this process forked and has not reaped
 * (interp/modules/process.c). */
void proc_signal_children(int sig);

#endif
