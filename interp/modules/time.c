/*
 * time.c -- the time module: sleep and the clocks.
 *
 * perf_counter and monotonic read CLOCK_MONOTONIC, as CPython does on
 * Linux, so their values are comparable with the tracer's timestamps.
 * sleep does not release the GIL yet: the GIL interface is not part of
 * what natives can see.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "vm.h"

#include <errno.h>
#include <math.h>
#include <time.h>

static bool time_noargs(Thread *t, const char *name, int argc, ObjTuple *kw)
{
    if (kw && kw->len > 0) {
        vm_raise(t, EXC_TypeError, "%s() takes no keyword arguments", name);
        return false;
    }
    if (argc != 0) {
        vm_raise(t, EXC_TypeError, "%s() takes no arguments (%d given)", name, argc);
        return false;
    }
    return true;
}

static int64_t time_ns_of(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double time_sec_of(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* sleep(secs): nanosleep, resumed with the remaining time after a signal. */
static Value time_sleep(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (kw && kw->len > 0)
        return vm_raise(t, EXC_TypeError, "time.sleep() takes no keyword arguments");
    if (argc != 1)
        return vm_raise(t, EXC_TypeError, "time.sleep() takes exactly one argument (%d given)",
                        argc);
    double secs;
    if (IS_FLOAT(argv[0]))
        secs = argv[0].as.f;
    else if (IS_INTLIKE(argv[0]))
        secs = (double)argv[0].as.i;
    else
        return vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                        vm_type_name(t->vm, argv[0]));
    if (isnan(secs))
        return vm_raise(t, EXC_ValueError, "Invalid value NaN (not a number)");
    if (secs < 0)
        return vm_raise(t, EXC_ValueError, "sleep length must be non-negative");
    if (secs > 9.2e9)
        return vm_raise(t, EXC_OverflowError, "sleep length is too large");
    /* an absolute deadline, so signals cannot stretch the sleep; the GIL
       is released for the whole of it (CPython's Py_BEGIN_ALLOW_THREADS) */
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    int64_t ns = (int64_t)(secs * 1e9) + deadline.tv_nsec;
    deadline.tv_sec += (time_t)(ns / 1000000000);
    deadline.tv_nsec = (long)(ns % 1000000000);
    Vm *vm = t->vm;
    bool is_main = t == vm->main;
    bool interrupted = false;
    int err = 0;
    vm_blocking_begin(t, BLOCK_SLEEP);
    for (;;) {
        struct timespec until = deadline;
        if (is_main) {
            /* wake every 50 ms: SIGINT may have gone to another thread */
            struct timespec slice;
            clock_gettime(CLOCK_MONOTONIC, &slice);
            slice.tv_nsec += 50000000;
            if (slice.tv_nsec >= 1000000000) {
                slice.tv_sec++;
                slice.tv_nsec -= 1000000000;
            }
            if (slice.tv_sec < until.tv_sec || (slice.tv_sec == until.tv_sec && slice.tv_nsec < until.tv_nsec))
                until = slice;
        }
        int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
        if (rc != 0 && rc != EINTR) {
            err = rc;
            break;
        }
        if (vm_interrupt_pending(t)) {
            interrupted = true;
            break;
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
            break;
    }
    vm_blocking_end(t);
    if (err)
        return vm_raise_errno(t, err, NULL);
    if (interrupted)
        return vm_raise_interrupt(t);
    return VAL_NONE;
}

#define TIME_CLOCK(fname, pyname, clk)                                              \
    static Value fname(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw) \
    {                                                                               \
        (void)self;                                                                 \
        (void)argv;                                                                 \
        if (!time_noargs(t, pyname, argc, kw))                                      \
            return VAL_ERR;                                                         \
        return val_float(time_sec_of(clk));                                         \
    }                                                                               \
    static Value fname##_ns(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw) \
    {                                                                               \
        (void)self;                                                                 \
        (void)argv;                                                                 \
        if (!time_noargs(t, pyname "_ns", argc, kw))                                \
            return VAL_ERR;                                                         \
        return val_int(time_ns_of(clk));                                            \
    }

TIME_CLOCK(time_time, "time", CLOCK_REALTIME)
TIME_CLOCK(time_perf_counter, "perf_counter", CLOCK_MONOTONIC)
TIME_CLOCK(time_monotonic, "monotonic", CLOCK_MONOTONIC)
TIME_CLOCK(time_process_time, "process_time", CLOCK_PROCESS_CPUTIME_ID)
TIME_CLOCK(time_thread_time, "thread_time", CLOCK_THREAD_CPUTIME_ID)

static const NativeDef time_functions[] = {
    {"sleep", time_sleep},
    {"time", time_time},
    {"time_ns", time_time_ns},
    {"perf_counter", time_perf_counter},
    {"perf_counter_ns", time_perf_counter_ns},
    {"monotonic", time_monotonic},
    {"monotonic_ns", time_monotonic_ns},
    {"process_time", time_process_time},
    {"process_time_ns", time_process_time_ns},
    {"thread_time", time_thread_time},
    {"thread_time_ns", time_thread_time_ns},
    {NULL, NULL},
};

const ModuleDef mod_time = {"time", time_functions, NULL};
