/*
 * export.c -- a chart to a file: PNG, SVG and PDF through cairo surfaces
 * (the same draw_chart as the viewer), and JSON in the Chrome Trace Event
 * Format (Perfetto, chrome://tracing).
 *
 * JSON mapping: each pane (run) is a process (pid = pane index + 1), each
 * lane a thread (tid = lane index + 1), both named by "M" metadata events.
 * Every non-idle interval is an "X" event named by its state with the same
 * names in every run (model_state_name); intervals of one lane never
 * overlap because times are written as exact integers of ns (µs with three
 * decimals).  Failed wake-ups, drop requests and losses are thread-scoped
 * instant events ("i").
 */
#include "viz/export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

ExportFormat export_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return EXPORT_UNKNOWN;
    if (strcasecmp(dot, ".png") == 0)
        return EXPORT_PNG;
    if (strcasecmp(dot, ".svg") == 0)
        return EXPORT_SVG;
    if (strcasecmp(dot, ".pdf") == 0)
        return EXPORT_PDF;
    if (strcasecmp(dot, ".json") == 0)
        return EXPORT_JSON;
    return EXPORT_UNKNOWN;
}

static void json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(fp, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(fp, "\\u%04x", ch);
        else
            fputc(ch, fp);
    }
    fputc('"', fp);
}

static void json_us(FILE *fp, uint64_t ns)
{
    fprintf(fp, "%llu.%03llu", (unsigned long long)(ns / 1000), (unsigned long long)(ns % 1000));
}

static int export_json(const Model *m, const DrawView *v, const char *path, char *err, size_t errsize)
{
    FILE *fp = fopen(path, "w");
    if (!fp) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return -1;
    }
    static char iobuf[1 << 20];
    setvbuf(fp, iobuf, _IOFBF, sizeof iobuf);
    fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n", fp);
    bool first = true;
#define SEP() (first ? (void)(first = false) : (void)fputs(",\n", fp))
    for (size_t p = 0; p < m->npanes; p++) {
        if (v->pane_shown && !v->pane_shown[p])
            continue;
        const ModelPane *pn = &m->panes[p];
        unsigned pid = (unsigned)p + 1;
        char name[640];
        snprintf(name, sizeof name, "%s — %s", pn->label, pn->params);
        SEP();
        fprintf(fp, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%u,\"tid\":0,\"args\":{\"name\":", pid);
        json_str(fp, name);
        fputs("}}", fp);
        SEP();
        fprintf(fp, "{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":%u,\"tid\":0,\"args\":{\"sort_index\":%u}}",
                pid, pid);
        uint64_t t0 = draw_x_to_ns(m, v, (int)p, v->x0), t1 = draw_x_to_ns(m, v, (int)p, v->x1);
        for (size_t l = 0; l < pn->nlanes; l++) {
            if (v->lane_shown && v->lane_shown[p] && !v->lane_shown[p][l])
                continue;
            const ModelLane *ln = &pn->lanes[l];
            unsigned tid = (unsigned)l + 1;
            SEP();
            fprintf(fp, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":", pid, tid);
            json_str(fp, ln->name);
            fputs("}}", fp);
            SEP();
            fprintf(fp, "{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":%u,\"tid\":%u,\"args\":{\"sort_index\":%u}}",
                    pid, tid, tid);
            long long i0 = model_lane_find(ln, t0);
            for (size_t i = i0 < 0 ? 0 : (size_t)i0; i < ln->nintervals; i++) {
                ModelInterval iv;
                model_lane_interval(ln, i, &iv);
                if (iv.t0 >= t1)
                    break;
                if (iv.state == MS_IDLE || iv.t1 <= t0)
                    continue;
                uint64_t a = iv.t0 < t0 ? t0 : iv.t0, b = iv.t1 > t1 ? t1 : iv.t1;
                if (b <= a)
                    continue;
                SEP();
                fprintf(fp, "{\"ph\":\"X\",\"cat\":\"gil\",\"name\":\"%s\",\"pid\":%u,\"tid\":%u,\"ts\":",
                        model_state_name(iv.state), pid, tid);
                json_us(fp, a);
                fputs(",\"dur\":", fp);
                json_us(fp, b - a);
                if (iv.state == MS_BLOCKED)
                    fprintf(fp, ",\"args\":{\"call\":\"%s\"}", trace_block_name(iv.detail));
                else if (iv.state == MS_RUNNING)
                    fprintf(fp, ",\"args\":{\"switch\":%s,\"contended\":%s}", iv.switched ? "true" : "false",
                            iv.contended ? "true" : "false");
                fputc('}', fp);
            }
            for (size_t k = model_lane_mark_lower(ln, t0); k < ln->nmarks; k++) {
                ModelMark mk;
                model_lane_mark(ln, k, &mk);
                if (mk.ns >= t1)
                    break;
                if (mk.kind == MK_USER)
                    continue;
                SEP();
                fprintf(fp, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"gil\",\"name\":\"%s\",\"pid\":%u,\"tid\":%u,\"ts\":",
                        model_mark_name(mk.kind), pid, tid);
                json_us(fp, mk.ns);
                fprintf(fp, ",\"args\":{\"arg\":%u}}", mk.arg);
            }
        }
    }
#undef SEP
    fputs("\n]}\n", fp);
    if (ferror(fp) | (fclose(fp) != 0)) {
        snprintf(err, errsize, "%s: write failed: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void xml_escape(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", fp);
        else if (*s == '>')
            fputs("&gt;", fp);
        else if (*s == '&')
            fputs("&amp;", fp);
        else
            fputc(*s, fp);
    }
}

/* Cairo writes text as glyph outlines: add a <title> and a <desc> naming
 * the panes and lanes, so the SVG stays searchable and accessible. */
static int svg_add_text(const Model *m, const DrawView *v, const char *path, char *err, size_t errsize)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        goto fail;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = n > 0 ? malloc((size_t)n + 1) : NULL;
    if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        fclose(fp);
        goto fail;
    }
    fclose(fp);
    buf[n] = 0;
    char *root = strstr(buf, "<svg");
    char *gt = root ? strchr(root, '>') : NULL;
    if (!gt) {
        free(buf);
        return 0;
    }
    fp = fopen(path, "wb");
    if (!fp) {
        free(buf);
        goto fail;
    }
    fwrite(buf, 1, (size_t)(gt + 1 - buf), fp);
    fputs("\n<title>", fp);
    char title[512];
    xml_escape(fp, draw_title(m, v, title, sizeof title));
    fputs("</title>\n<desc>", fp);
    bool gaps = false;
    for (size_t p = 0; p < m->npanes; p++) {
        const ModelPane *pn = &m->panes[p];
        char fig[512];
        xml_escape(fp, pn->label);
        fputs(": ", fp);
        for (size_t l = 0; l < pn->nlanes; l++) {
            fputs(l ? ", " : "", fp);
            xml_escape(fp, pn->lanes[l].name);
        }
        fputs(". ", fp);
        xml_escape(fp, draw_pane_figures(pn, fig, sizeof fig));
        fputs(". ", fp);
        gaps |= pn->total.ns[MS_GAP] > 0;
    }
    /* The hatched band's legend entry, where the chart has one. */
    if (gaps) {
        fputs("Hatched: ", fp);
        xml_escape(fp, draw_gap_label());
        fputs(".", fp);
    }
    fputs("</desc>", fp);
    fwrite(gt + 1, 1, strlen(gt + 1), fp);
    free(buf);
    if (fclose(fp) != 0)
        goto fail;
    return 0;
fail:
    snprintf(err, errsize, "%s: %s", path, strerror(errno));
    return -1;
}

int export_write(const Model *m, const DrawView *v, const char *path, char *err, size_t errsize)
{
    ExportFormat f = export_format_of(path);
    if (f == EXPORT_JSON)
        return export_json(m, v, path, err, errsize);
    if (f == EXPORT_UNKNOWN) {
        snprintf(err, errsize, "%s: unknown format (use .png, .svg, .pdf or .json)", path);
        return -1;
    }
    cairo_surface_t *s;
    if (f == EXPORT_PNG)
        s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, v->width, v->height);
    else if (f == EXPORT_SVG)
        s = cairo_svg_surface_create(path, v->width, v->height);
    else
        s = cairo_pdf_surface_create(path, v->width, v->height);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errsize, "%s: %s", path, cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return -1;
    }
    cairo_t *cr = cairo_create(s);
    draw_chart(cr, m, v);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS && f == EXPORT_PNG)
        st = cairo_surface_write_to_png(s, path);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errsize, "%s: %s", path, st == CAIRO_STATUS_WRITE_ERROR ? strerror(errno ? errno : EIO)
                                                                             : cairo_status_to_string(st));
        return -1;
    }
    return f == EXPORT_SVG ? svg_add_text(m, v, path, err, errsize) : 0;
}
