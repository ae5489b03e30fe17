/*
 * chart.c -- `gilscope bench --chart`: one horizontal bar per configuration,
 * its median speedup against the sequential run (or its wall time when no
 * row has a sequential baseline), a whisker for the min-max spread over
 * the repeats, and a line at 1x.
 *
 * Coordinates are cairo user units = pixels of the PNG (points of the
 * SVG/PDF), origin top left, y down.  Every change of drawing state is
 * bracketed by cairo_save/cairo_restore.
 */
#include "bench/bench.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>

enum { PX_WIDTH = 1400, PX_MARGIN = 24, PX_TITLE = 64, PX_ROW = 30, PX_AXIS = 56, PX_LEGEND = 34 };

static void rgb(cairo_t *cr, unsigned hex)
{
    cairo_set_source_rgb(cr, ((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0, (hex & 255) / 255.0);
}

/* Fixed, documented colours (data/BENCH.md): by mode, CPython apart. */
static unsigned row_colour(const BenchRow *r)
{
    if (r->runner == BENCH_RUNNER_PYTHON)
        return 0x3b6fb6;
    switch (r->mode) {
    case BENCH_MODE_SEQUENTIAL: return 0x9a9a9a;
    case BENCH_MODE_PROCESSES: return 0x3c9d4f;
    default: return 0xd0483c;
    }
}

/* Draws text with its anchor at (x, y): align 0 left, 1 right, 2 centre;
 * y is the vertical centre.  Returns the text's width. */
static double text(cairo_t *cr, const char *s, double x, double y, const char *font, int align, unsigned colour)
{
    cairo_save(cr);
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, fd);
    pango_layout_set_text(l, s, -1);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    double tx = align == 1 ? x - w : align == 2 ? x - w / 2.0 : x;
    cairo_move_to(cr, tx, y - h / 2.0);
    rgb(cr, colour);
    pango_cairo_show_layout(cr, l);
    pango_font_description_free(fd);
    g_object_unref(l);
    cairo_restore(cr);
    return w;
}

static double text_width(cairo_t *cr, const char *s, const char *font)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, fd);
    pango_layout_set_text(l, s, -1);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    pango_font_description_free(fd);
    g_object_unref(l);
    return w;
}

/* A "nice" tick step for a range of span units. */
static double tick_step(double span)
{
    double raw = span / 6, p = pow(10, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static void draw(cairo_t *cr, const BenchMatrix *m, const char *title, double width, double height, bool speedup)
{
    static const char *const font = "Sans 11", *const bold = "Sans Bold 16", *const small = "Sans 10";
    cairo_save(cr);
    rgb(cr, 0xffffff);
    cairo_paint(cr);
    cairo_restore(cr);
    text(cr, title, PX_MARGIN, PX_MARGIN + 12, bold, 0, 0x202020);
    text(cr,
         speedup ? "speedup against the sequential run of the same workload (median; whisker: min-max over repeats)"
                 : "wall time, seconds (median; whisker: min-max over repeats)",
         PX_MARGIN, PX_MARGIN + 38, small, 0, 0x505050);
    double label_w = 0;
    for (size_t i = 0; i < m->nrows; i++) {
        double w = text_width(cr, m->rows[i].label, font);
        if (w > label_w)
            label_w = w;
    }
    double x0 = PX_MARGIN + label_w + 16, x1 = width - PX_MARGIN - 70;
    double y0 = PX_TITLE + PX_MARGIN, vmax = speedup ? 1.2 : 0;
    for (size_t i = 0; i < m->nrows; i++) {
        const BenchRow *r = &m->rows[i];
        double v = speedup ? r->speedup_max : r->wall_max;
        if (isfinite(v) && v > vmax)
            vmax = v;
    }
    if (!(vmax > 0))
        vmax = 1;
    vmax *= 1.08;
    double px_per = (x1 - x0) / vmax, step = tick_step(vmax);
    double y_end = y0 + m->nrows * PX_ROW;
    /* grid and axis */
    for (double t = 0; t <= vmax + 1e-9; t += step) {
        double x = x0 + t * px_per;
        cairo_save(cr);
        rgb(cr, 0xe4e4e4);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, floor(x) + 0.5, y0 - 4);
        cairo_line_to(cr, floor(x) + 0.5, y_end + 4);
        cairo_stroke(cr);
        cairo_restore(cr);
        char lab[32];
        snprintf(lab, sizeof lab, speedup ? "%gx" : "%g", t);
        text(cr, lab, x, y_end + 16, small, 2, 0x404040);
    }
    for (size_t i = 0; i < m->nrows; i++) {
        const BenchRow *r = &m->rows[i];
        double yc = y0 + i * PX_ROW + PX_ROW / 2.0;
        text(cr, r->label, x0 - 10, yc, font, 1, 0x202020);
        double v = speedup ? r->speedup : r->wall, lo = speedup ? r->speedup_min : r->wall_min,
               hi = speedup ? r->speedup_max : r->wall_max;
        if (!isfinite(v)) {
            text(cr, r->ok_runs ? "no sequential baseline" : "failed", x0 + 6, yc, small, 0, 0x909090);
            continue;
        }
        cairo_save(cr);
        rgb(cr, row_colour(r));
        cairo_rectangle(cr, x0, yc - PX_ROW * 0.32, v * px_per, PX_ROW * 0.64);
        cairo_fill(cr);
        cairo_restore(cr);
        if (isfinite(lo) && isfinite(hi)) {
            cairo_save(cr);
            rgb(cr, 0x202020);
            cairo_set_line_width(cr, 1.5);
            double xa = x0 + lo * px_per, xb = x0 + hi * px_per;
            cairo_move_to(cr, xa, yc);
            cairo_line_to(cr, xb, yc);
            cairo_move_to(cr, xa, yc - 6);
            cairo_line_to(cr, xa, yc + 6);
            cairo_move_to(cr, xb, yc - 6);
            cairo_line_to(cr, xb, yc + 6);
            cairo_stroke(cr);
            cairo_restore(cr);
        }
        char val[32];
        snprintf(val, sizeof val, speedup ? "%.2fx" : "%.3f s", v);
        text(cr, val, x0 + (isfinite(hi) ? hi : v) * px_per + 8, yc, small, 0, 0x202020);
    }
    if (speedup) {
        /* 1x: as fast as the sequential run */
        cairo_save(cr);
        rgb(cr, 0x202020);
        cairo_set_line_width(cr, 1.5);
        const double dash[] = {5, 4};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, x0 + px_per, y0 - 6);
        cairo_line_to(cr, x0 + px_per, y_end + 6);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    cairo_save(cr);
    rgb(cr, 0x202020);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, floor(x0) + 0.5, y0 - 4);
    cairo_line_to(cr, floor(x0) + 0.5, y_end + 4);
    cairo_stroke(cr);
    cairo_restore(cr);
    /* legend */
    static const struct { unsigned colour; const char *name; } legend[] = {
        {0x9a9a9a, "sequential"}, {0xd0483c, "threads"}, {0x3c9d4f, "processes"}, {0x3b6fb6, "CPython"},
    };
    double lx = PX_MARGIN, ly = height - PX_LEGEND / 2.0 - 4;
    for (size_t i = 0; i < sizeof legend / sizeof legend[0]; i++) {
        cairo_save(cr);
        rgb(cr, legend[i].colour);
        cairo_rectangle(cr, lx, ly - 7, 14, 14);
        cairo_fill(cr);
        cairo_restore(cr);
        lx += 20 + text(cr, legend[i].name, lx + 20, ly, small, 0, 0x202020) + 18;
    }
}

int bench_chart_write(const BenchMatrix *m, const char *path, const char *title, char *err, size_t errsize)
{
    const char *dot = strrchr(path, '.');
    const char *ext = dot ? dot + 1 : "";
    bool speedup = false;
    for (size_t i = 0; i < m->nrows; i++)
        if (isfinite(m->rows[i].speedup))
            speedup = true;
    double width = PX_WIDTH, height = PX_TITLE + 2 * PX_MARGIN + m->nrows * PX_ROW + PX_AXIS + PX_LEGEND;
    cairo_surface_t *surf;
    if (strcmp(ext, "png") == 0)
        surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)width, (int)height);
    else if (strcmp(ext, "svg") == 0)
        surf = cairo_svg_surface_create(path, width, height);
    else if (strcmp(ext, "pdf") == 0)
        surf = cairo_pdf_surface_create(path, width, height);
    else {
        snprintf(err, errsize, "%s: the chart's name must end in .png, .svg or .pdf", path);
        return -1;
    }
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errsize, "%s: %s", path, cairo_status_to_string(cairo_surface_status(surf)));
        cairo_surface_destroy(surf);
        return -1;
    }
    cairo_t *cr = cairo_create(surf);
    draw(cr, m, title, width, height, speedup);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS && strcmp(ext, "png") == 0)
        st = cairo_surface_write_to_png(surf, path);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errsize, "%s: %s", path, st == CAIRO_STATUS_WRITE_ERROR ? "cannot write the file"
                                                                                  : cairo_status_to_string(st));
        return -1;
    }
    return 0;
}
