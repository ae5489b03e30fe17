/*
 * fuzz_preset.c -- libFuzzer target: arbitrary bytes as an experiment preset
 * (data/experiments/NAME.ini) through bench_preset_parse.  A parsed preset is
 * walked (every string read, every axis within its bounds) and freed; a
 * rejected one must leave an error naming the file and line, and *out zeroed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_preset: %s\n", what);
        abort();
    }
}

static void str(const char *s)
{
    if (s)
        sink += strlen(s);
}

static void walk_sel(const BenchSel *s)
{
    check(s->metric >= 0 && s->metric < BENCH_METRIC__COUNT, "metric in range");
    str(bench_metric_name(s->metric));
    str(s->workload);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BenchPreset p;
    char err[400];
    memset(err, 0, sizeof err);
    int rc = bench_preset_parse((const char *)data, size, "fuzz.ini", &p, err, sizeof err);
    if (rc < 0) {
        check(err[0] != '\0' && memchr(err, '\0', sizeof err), "a rejected preset says why");
        check(p.nmatrices == 0 && p.matrices == NULL && p.nchecks == 0 && p.checks == NULL,
              "a rejected preset is zeroed");
        bench_preset_fini(&p);
        return 0;
    }
    check(rc == 0, "bench_preset_parse returns 0 or -1");
    str(p.name);
    str(p.title);
    str(p.published);
    str(p.why);
    for (size_t i = 0; i < p.nmatrices; i++) {
        const BenchAxes *a = &p.matrices[i];
        str(a->workload);
        for (size_t j = 0; j < a->nargs; j++)
            str(a->args[j]);
        str(a->threads_flag);
        check(a->nmodes <= BENCH_MODE__COUNT && a->ngils <= BENCH_GIL__COUNT && a->nthreads <= BENCH_MAX_AXIS &&
                  a->ncpus <= BENCH_MAX_AXIS && a->nsi <= BENCH_MAX_AXIS,
              "axes within their bounds");
        for (size_t j = 0; j < a->nmodes; j++)
            str(bench_mode_name(a->modes[j]));
        for (size_t j = 0; j < a->ngils; j++)
            str(bench_gil_name(a->gils[j]));
    }
    for (size_t i = 0; i < p.nchecks; i++) {
        const BenchCheck *c = &p.checks[i];
        str(c->name);
        str(c->published);
        walk_sel(&c->left);
        if (c->has_right)
            walk_sel(&c->right);
        check(c->op >= BENCH_OP_LT && c->op <= BENCH_OP_IN, "op in range");
    }
    bench_preset_fini(&p);
    return 0;
}
