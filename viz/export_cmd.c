/*
 * export_cmd.c -- `gilscope export A.gilt [B.gilt ...] -o OUT [options]`:
 * options to a DrawView, the model loaded once, one file written.  The
 * hidden `--bench-frames N` draws N off-screen frames at fit-all and N at a
 * deep zoom and prints the timings (and the load figures) as one JSON line,
 * for bench/viz.py.
 */
#include "viz/export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>

#include <cairo.h>

static int usage_err(const char *fmt, const char *arg)
{
    fputs("gilscope export: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (usage: gilscope export A.gilt [B.gilt ...] -o OUT.{png,svg,pdf,json} [--size WxH] [--scale F] "
          "[--theme light|dark] [--title T] [--from MS] [--to MS] [--axis time|ticks] [--lanes NAME,...])\n",
          stderr);
    return 64;
}

static void export_help(void)
{
    fputs("usage: gilscope export A.gilt [B.gilt ...] -o OUT [options]\n"
          "\n"
          "Draws the traces as one chart (each run a pane on one time axis) into OUT,\n"
          "whose extension picks the format: .png, .svg, .pdf, or .json (Chrome Trace\n"
          "Event Format, for Perfetto and chrome://tracing).\n"
          "\n"
          "options:\n"
          "  -o, --output OUT        the file to write\n"
          "  --size WxH              pixels (default 1920x1080)\n"
          "  --scale F               HiDPI factor: the picture is WxH times F pixels (default 1)\n"
          "  --theme light|dark      colours (default light)\n"
          "  --title T               the chart's title\n"
          "  --from MS, --to MS      the time range in milliseconds since each run's start\n"
          "  --axis time|ticks       wall time (default) or Beazley's cumulative ticks\n"
          "  --lanes NAME,...        only these threads (by name)\n",
          stdout);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* CPU seconds of the whole process (all its threads). */
static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median and max of n off-screen frames of v, in ms. */
static void bench_frames(const Model *m, const DrawView *v, int n, double *med, double *max)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, v->width, v->height);
    double *t = malloc((size_t)n * sizeof *t);
    for (int i = 0; i < n; i++) {
        cairo_t *cr = cairo_create(s);
        double a = now_s();
        draw_chart(cr, m, v);
        cairo_surface_flush(s);
        t[i] = (now_s() - a) * 1e3;
        cairo_destroy(cr);
    }
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    *med = t[n / 2];
    *max = t[n - 1];
    free(t);
    cairo_surface_destroy(s);
}

int export_main(int argc, char **argv)
{
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
    const char *out = NULL, *title = NULL, *lanes = NULL;
    int width = 1920, height = 1080, bench = 0;
    double scale = 1, from_ms = -1, to_ms = -1;
    DrawTheme theme = DRAW_THEME_LIGHT;
    DrawAxis axis = DRAW_AXIS_TIME;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            export_help();
            free(paths);
            return 0;
        }
        if (a[0] != '-' || a[1] == 0) {
            paths[npaths++] = a;
            continue;
        }
        if (!val) {
            free(paths);
            return usage_err("%s needs a value", a);
        }
        i++;
        char *end = NULL;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            out = val;
        } else if (strcmp(a, "--size") == 0) {
            if (sscanf(val, "%dx%d", &width, &height) != 2 || width < 200 || height < 150 || width > 16384 ||
                height > 16384) {
                free(paths);
                return usage_err("--size takes WxH from 200x150 to 16384x16384, not '%s'", val);
            }
        } else if (strcmp(a, "--scale") == 0) {
            scale = strtod(val, &end);
            if (*end || !(scale >= 0.5 && scale <= 4)) {
                free(paths);
                return usage_err("--scale takes a factor from 0.5 to 4, not '%s'", val);
            }
        } else if (strcmp(a, "--theme") == 0) {
            if (strcmp(val, "light") == 0)
                theme = DRAW_THEME_LIGHT;
            else if (strcmp(val, "dark") == 0)
                theme = DRAW_THEME_DARK;
            else {
                free(paths);
                return usage_err("--theme is light or dark, not '%s'", val);
            }
        } else if (strcmp(a, "--axis") == 0) {
            if (strcmp(val, "time") == 0)
                axis = DRAW_AXIS_TIME;
            else if (strcmp(val, "ticks") == 0)
                axis = DRAW_AXIS_TICKS;
            else {
                free(paths);
                return usage_err("--axis is time or ticks, not '%s'", val);
            }
        } else if (strcmp(a, "--title") == 0) {
            title = val;
        } else if (strcmp(a, "--lanes") == 0) {
            lanes = val;
        } else if (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
            double d = strtod(val, &end);
            if (*end || !(d >= 0) || d > 1e12) {
                free(paths);
                return usage_err("--from/--to take milliseconds >= 0, not '%s'", val);
            }
            *(a[2] == 'f' ? &from_ms : &to_ms) = d;
        } else if (strcmp(a, "--bench-frames") == 0) {
            bench = atoi(val);
            if (bench < 1 || bench > 100000) {
                free(paths);
                return usage_err("--bench-frames takes a count, not '%s'", val);
            }
        } else {
            free(paths);
            return usage_err("unknown option '%s'", a);
        }
    }
    if (!npaths) {
        free(paths);
        return usage_err("no trace given%s", "");
    }
    if (!out && !bench) {
        free(paths);
        return usage_err("no output given (-o OUT)%s", "");
    }
    if (out && export_format_of(out) == EXPORT_UNKNOWN) {
        free(paths);
        return usage_err("cannot tell the format of '%s' (use .png, .svg, .pdf or .json)", out);
    }
    if (from_ms >= 0 && to_ms >= 0 && to_ms <= from_ms) {
        free(paths);
        return usage_err("--to must be after --from%s", "");
    }
    Model *m = NULL;
    char err[512];
    double t_load = now_s(), c_load = cpu_s();
    ModelStatus ms = model_load(paths, npaths, &m, err, sizeof err);
    t_load = now_s() - t_load;
    c_load = cpu_s() - c_load;
    free(paths);
    if (ms != MODEL_OK) {
        fprintf(stderr, "gilscope export: %s\n", err);
        return ms;
    }
    for (size_t i = 0; i < m->nnotes && i < 10; i++)
        fprintf(stderr, "gilscope export: note: %s\n", m->notes[i]);
    DrawView v;
    draw_view_init(&v, m);
    v.width = (int)lround(width * scale);
    v.height = (int)lround(height * scale);
    v.scale = scale;
    v.theme = theme;
    v.axis = axis;
    v.title = title;
    draw_view_fit(&v, m);
    /* --from/--to are ms of wall time; on the ticks axis through the first pane's map. */
    if (from_ms >= 0 || to_ms >= 0) {
        double a = from_ms >= 0 ? from_ms * 1e6 : 0, b = to_ms >= 0 ? to_ms * 1e6 : (double)m->span_ns;
        if (axis == DRAW_AXIS_TICKS && m->npanes) {
            a = draw_ns_to_x(m, &v, 0, (uint64_t)a);
            b = draw_ns_to_x(m, &v, 0, (uint64_t)b);
        }
        if (b <= a)
            b = a + 1;
        v.x0 = a;
        v.x1 = b;
    }
    bool **shown = NULL;
    if (lanes) {
        shown = calloc(m->npanes, sizeof *shown);
        size_t matched = 0;
        for (size_t p = 0; p < m->npanes; p++) {
            shown[p] = calloc(m->panes[p].nlanes + 1, sizeof **shown);
            for (size_t l = 0; l < m->panes[p].nlanes; l++) {
                const char *nm = m->panes[p].lanes[l].name;
                size_t n = strlen(nm);
                for (const char *s = lanes; *s;) {
                    const char *e = strchr(s, ',');
                    size_t k = e ? (size_t)(e - s) : strlen(s);
                    if (k == n && strncmp(s, nm, k) == 0) {
                        shown[p][l] = true;
                        matched++;
                    }
                    s += k + (e ? 1 : 0);
                }
            }
        }
        if (!matched) {
            fprintf(stderr, "gilscope export: --lanes '%s' matches no thread of the traces\n", lanes);
            for (size_t p = 0; p < m->npanes; p++)
                free(shown[p]);
            free(shown);
            model_free(m);
            return 64;
        }
        v.lane_shown = (const bool *const *)shown;
    }
    if (bench) {
        /* As the viewer: one cache of shaped text for all frames, its fonts
         * loaded before the first (the set-up is reported apart). */
        double fit_med, fit_max, deep_med, deep_max, t_setup = now_s();
        DrawCache *dc = draw_cache_new();
        if (dc)
            draw_cache_warm(dc);
        t_setup = now_s() - t_setup;
        v.cache = dc;
        bench_frames(m, &v, bench, &fit_med, &fit_max);
        DrawView d = v;
        double mid = (v.x0 + v.x1) / 2, half = (v.axis == DRAW_AXIS_TIME ? 50e3 : 1000);
        d.x0 = mid - half;
        d.x1 = mid + half;
        bench_frames(m, &d, bench, &deep_med, &deep_max);
        v.cache = NULL;
        draw_cache_free(dc);
        double t_png = -1;
        if (out) {
            t_png = now_s();
            if (export_write(m, &v, out, err, sizeof err) != 0) {
                fprintf(stderr, "gilscope export: %s\n", err);
                status = 74;
            }
            t_png = now_s() - t_png;
        }
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("{\"events\":%llu,\"load_s\":%.4f,\"events_per_s\":%.0f,\"maxrss_bytes\":%lld,"
               "\"bytes_per_event\":%.2f,\"frame_fit_median_ms\":%.3f,\"frame_fit_max_ms\":%.3f,"
               "\"frame_deep_median_ms\":%.3f,\"frame_deep_max_ms\":%.3f,\"export_s\":%.4f,\"frames\":%d,"
               "\"font_setup_ms\":%.3f,\"load_cpu_s\":%.4f}\n",
               (unsigned long long)m->events, t_load, (double)m->events / (t_load > 0 ? t_load : 1e-9),
               (long long)ru.ru_maxrss * 1024, (double)ru.ru_maxrss * 1024.0 / (double)(m->events ? m->events : 1),
               fit_med, fit_max, deep_med, deep_max, t_png, bench, t_setup * 1e3, c_load);
    } else if (export_write(m, &v, out, err, sizeof err) != 0) {
        fprintf(stderr, "gilscope export: %s\n", err);
        status = 74;
    }
    if (shown) {
        for (size_t p = 0; p < m->npanes; p++)
            free(shown[p]);
        free(shown);
    }
    model_free(m);
    return status;
}
