/*
 * main.c -- gilscope's one executable: dispatches subcommands and turns
 * results into messages and exit codes (sysexits: 64 usage, 65 bad input,
 * 70 runtime error, 74 I/O).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/code.h"
#include "interp/compiler.h"
#include "interp/vm.h"

#define GILSCOPE_VERSION "0.1.0"

enum { EX_OK = 0, EX_USAGE = 64, EX_DATAERR = 65, EX_SOFTWARE = 70, EX_IOERR = 74 };

static void usage(FILE *out)
{
    fputs("usage: gilscope <command> [options] [args]\n"
          "\n"
          "gilscope runs a workload written in a subset of Python on a bytecode\n"
          "interpreter whose threads share a global interpreter lock.\n"
          "\n"
          "commands:\n"
          "  run [--dis] FILE [ARGS...]   run a workload; ARGS become sys.argv[1:]\n"
          "\n"
          "options:\n"
          "  -h, --help                   show this help\n"
          "  --version                    show the version\n"
          "\n"
          "See README.md for the workload language and examples.\n",
          out);
}

static void run_usage(FILE *out)
{
    fputs("usage: gilscope run [--dis] FILE [ARGS...]\n"
          "\n"
          "Runs FILE, a workload in gilscope's Python subset.  Everything after\n"
          "FILE is passed to it as sys.argv[1:].\n"
          "\n"
          "options:\n"
          "  --dis        print the bytecode of FILE instead of running it\n"
          "  -h, --help   show this help\n",
          out);
}

/* Reads a whole file; NULL with errno set on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(fp);
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(fp);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int err = ferror(fp) ? errno : 0;
    fclose(fp);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    *len = n;
    return buf;
}

static Vm *signal_vm;

static void on_sigint(int sig)
{
    (void)sig;
    if (signal_vm) {
        signal_vm->sigint = 1;
        signal_vm->main->trap = 1;
    }
}

static int cmd_run(int argc, char **argv)
{
    bool dis = false;
    int i = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--dis") == 0) {
            dis = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            run_usage(stdout);
            return EX_OK;
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (a[0] == '-' && a[1] != 0) {
            fprintf(stderr, "gilscope run: unknown option '%s' (see gilscope run --help)\n", a);
            return EX_USAGE;
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "gilscope run: no workload file given (usage: gilscope run [--dis] FILE [ARGS...])\n");
        return EX_USAGE;
    }
    const char *path = argv[i];
    size_t len;
    char *src = slurp(path, &len);
    if (!src) {
        fprintf(stderr, "gilscope run: cannot read '%s': %s\n", path, strerror(errno));
        return EX_IOERR;
    }
    VmConfig cfg = {.script_path = path, .argc = argc - i, .argv = argv + i};
    Vm *vm = vm_new(&cfg);
    int status;
    if (dis) {
        ParseError err;
        Code *code = compile_module(vm, path, src, len, &err);
        if (!code) {
            fprintf(stderr, "%s:%d:%d: %s: %s\n", path, err.line, err.col, err.kind, err.msg);
            status = EX_DATAERR;
        } else {
            code_disassemble(vm->main, code, stdout);
            obj_decref(&code->obj);
            status = EX_OK;
        }
    } else {
        signal_vm = vm;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        int exit_code = 0;
        VmStatus st = vm_run_main(vm, path, src, len, &exit_code);
        (void)st;
        status = exit_code;
        signal(SIGINT, SIG_DFL);
        signal_vm = NULL;
    }
    vm_free(vm);
    free(src);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gilscope: error writing standard output: %s\n", strerror(errno));
        if (status == 0)
            status = EX_IOERR;
    }
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EX_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EX_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("gilscope %s\n", GILSCOPE_VERSION);
        return EX_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    fprintf(stderr, "gilscope: unknown command '%s' (see gilscope --help)\n", cmd);
    return EX_USAGE;
}
