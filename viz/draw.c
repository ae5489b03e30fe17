/*
 * draw.c -- the chart: title, headline, legend, panes of lanes, axis.
 *
 * Coordinates, once for the whole file: draw_chart scales cr by view->scale,
 * so every number below is a logical pixel, origin top left, y down.  Lane
 * bands are drawn column by column in *device* pixels (the level-of-detail
 * summary gives each column's state shares), so they stay exact at any
 * scale.  Every change of cairo state is bracketed by save/restore.
 *
 * A lane's band: a thin strip on top for point marks (failed wake-ups as
 * Beazley's yellow/red ticks, drop requests as blue triangles), the state
 * bar below it (stacked shares of each state in each pixel column).
 */
#include "viz/draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

typedef struct Rgb {
    double r, g, b;
} Rgb;

#define HEX(x) { ((x) >> 16 & 255) / 255.0, ((x) >> 8 & 255) / 255.0, ((x) & 255) / 255.0 }

/* Okabe-Ito based: the state colours differ in hue *and* lightness, so they
 * stay apart for the common colour-vision deficiencies. */
typedef struct Theme {
    Rgb bg, fg, dim, grid, strip, state[MS__COUNT], busy, retry, drop, sel, accent;
} Theme;

static const Theme themes[2] = {
    { .bg = HEX(0xffffff), .fg = HEX(0x1a1a1a), .dim = HEX(0x555555), .grid = HEX(0xdddddd),
      .strip = HEX(0xf2f2f2),
      .state = { HEX(0x009e73), HEX(0xd55e00), HEX(0xcc79a7), HEX(0xe69f00), HEX(0xc8c8c8), HEX(0x404040) },
      .busy = HEX(0xc9a800), .retry = HEX(0xb2182b), .drop = HEX(0x0072b2), .sel = HEX(0x0072b2),
      .accent = HEX(0x0b5394) },
    { .bg = HEX(0x16181c), .fg = HEX(0xf0f0f0), .dim = HEX(0xb0b0b0), .grid = HEX(0x33363c),
      .strip = HEX(0x23262b),
      .state = { HEX(0x00b386), HEX(0xe8702a), HEX(0xd98cbb), HEX(0xf0b323), HEX(0x5a5d63), HEX(0xa0a0a0) },
      .busy = HEX(0xf0e442), .retry = HEX(0xff5a5a), .drop = HEX(0x56b4e9), .sel = HEX(0x56b4e9),
      .accent = HEX(0x9fc5f8) },
};

/* Sizes, logical px: large enough for a projector at 1080p. */
enum { F_TITLE, F_HEAD, F_PANE, F_BODY, F_SMALL, F__COUNT };
static const double font_px[F__COUNT] = { 30, 20, 17, 15, 13 };
static const bool font_bold[F__COUNT] = { true, true, true, false, false };

#define MARGIN 24.0
#define LANE_GAP 4.0

/* Shaped text, kept between frames: a frame's strings (legend, names,
 * figures, axis labels) mostly repeat, and shaping them is most of what
 * text costs.  Open addressing on (font, width, string); emptied when half
 * full. */
#define TEXT_SLOTS 1024

typedef struct TextSlot {
    uint64_t hash;
    int font, maxw;             /* maxw in Pango units, -1: none */
    char *s;                    /* NULL: empty slot */
    PangoLayout *lay;
} TextSlot;

struct DrawCache {
    PangoContext *pctx;
    PangoFontDescription *font[F__COUNT];
    TextSlot slot[TEXT_SLOTS];
    size_t n;
};

typedef struct Ctx {
    cairo_t *cr;
    const Model *m;
    const DrawView *v;
    const Theme *th;
    DrawCache *dc;              /* v->cache, or one for this call */
    bool own_dc;
    PangoLayout *lay;           /* scratch, for one-off text (tooltips, the selection box) */
    PangoFontDescription **font;
    double W, H, scale;
} Ctx;

static void set_rgb(cairo_t *cr, Rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static void set_rgba(cairo_t *cr, Rgb c, double a)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, a);
}

/* ---- text ----------------------------------------------------------------------------- */

DrawCache *draw_cache_new(void)
{
    DrawCache *dc = calloc(1, sizeof *dc);
    if (!dc)
        return NULL;
    dc->pctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
    for (int f = 0; f < F__COUNT; f++) {
        dc->font[f] = pango_font_description_from_string(font_bold[f] ? "DejaVu Sans Bold" : "DejaVu Sans");
        pango_font_description_set_absolute_size(dc->font[f], font_px[f] * PANGO_SCALE);
    }
    return dc;
}

static void cache_clear(DrawCache *dc)
{
    for (size_t i = 0; i < TEXT_SLOTS; i++) {
        if (dc->slot[i].s) {
            free(dc->slot[i].s);
            g_object_unref(dc->slot[i].lay);
        }
    }
    memset(dc->slot, 0, sizeof dc->slot);
    dc->n = 0;
}

void draw_cache_free(DrawCache *dc)
{
    if (!dc)
        return;
    cache_clear(dc);
    for (int f = 0; f < F__COUNT; f++)
        pango_font_description_free(dc->font[f]);
    g_object_unref(dc->pctx);
    free(dc);
}

void draw_cache_warm(DrawCache *dc)
{
    /* Laying out a string loads the fonts and their metrics (fontconfig):
     * tens of milliseconds the first time, which would otherwise fall on
     * the first frame. */
    PangoLayout *lay = pango_layout_new(dc->pctx);
    for (int f = 0; f < F__COUNT; f++) {
        int w, h;
        pango_layout_set_font_description(lay, dc->font[f]);
        pango_layout_set_text(lay, "0123456789 msµ running waiting", -1);
        pango_layout_get_pixel_size(lay, &w, &h);
    }
    g_object_unref(lay);
}

/* The shaped layout of s in font, ellipsized to maxw logical px (0: no limit). */
static PangoLayout *text_layout(Ctx *c, int font, const char *s, double maxw)
{
    DrawCache *dc = c->dc;
    int mw = maxw > 0 ? (int)(maxw * PANGO_SCALE) : -1;
    uint64_t h = 1469598103934665603ull ^ (uint64_t)font * 0x9E3779B97F4A7C15ull ^ (uint64_t)(int64_t)mw << 20;
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    size_t i = (size_t)(h ^ h >> 29) & (TEXT_SLOTS - 1);
    for (; dc->slot[i].s; i = (i + 1) & (TEXT_SLOTS - 1)) {
        TextSlot *t = &dc->slot[i];
        if (t->hash == h && t->font == font && t->maxw == mw && strcmp(t->s, s) == 0)
            return t->lay;
    }
    if (dc->n >= TEXT_SLOTS / 2) {
        cache_clear(dc);
        i = (size_t)(h ^ h >> 29) & (TEXT_SLOTS - 1);
    }
    PangoLayout *lay = pango_layout_new(dc->pctx);
    pango_layout_set_font_description(lay, c->font[font]);
    pango_layout_set_width(lay, mw);
    pango_layout_set_ellipsize(lay, mw > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
    pango_layout_set_text(lay, s, (int)len);
    char *copy = malloc(len + 1);
    if (!copy)
        return lay;             /* not kept: leaks one layout rather than fail a frame */
    memcpy(copy, s, len + 1);
    dc->slot[i] = (TextSlot){ h, font, mw, copy, lay };
    dc->n++;
    return lay;
}

static void text_size(Ctx *c, int font, const char *s, double *w, double *h)
{
    PangoLayout *lay = text_layout(c, font, s, 0);
    int pw, ph;
    pango_layout_get_pixel_size(lay, &pw, &ph);
    if (w)
        *w = pw;
    if (h)
        *h = ph;
}

/* Draws s with its top-left at (x, y) (align 1: x is the right edge, 0.5:
 * the centre); returns its width. */
static double text(Ctx *c, int font, double x, double y, const char *s, Rgb col, double maxw, double align)
{
    PangoLayout *lay = text_layout(c, font, s, maxw);
    int pw, ph;
    pango_layout_get_pixel_size(lay, &pw, &ph);
    cairo_save(c->cr);
    set_rgb(c->cr, col);
    cairo_move_to(c->cr, x - align * pw, y);
    pango_cairo_show_layout(c->cr, lay);
    cairo_restore(c->cr);
    return pw;
}

static double line_h(int font)
{
    return ceil(font_px[font] * 1.35);
}

void draw_format_ns(double ns, char *buf, size_t size)
{
    double a = fabs(ns);
    if (a < 1e3)
        snprintf(buf, size, "%.0f ns", ns);
    else if (a < 1e6)
        snprintf(buf, size, "%.3g µs", ns / 1e3);
    else if (a < 1e9)
        snprintf(buf, size, "%.3g ms", ns / 1e6);
    else if (a < 100e9)
        snprintf(buf, size, "%.3g s", ns / 1e9);
    else
        snprintf(buf, size, "%.0f s", ns / 1e9);
}

static void format_count(double v, char *buf, size_t size)
{
    if (v >= 1e9)
        snprintf(buf, size, "%.3gG", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, size, "%.3gM", v / 1e6);
    else if (v >= 1e4)
        snprintf(buf, size, "%.3gk", v / 1e3);
    else
        snprintf(buf, size, "%.0f", v);
}

/* ---- views and layout ---------------------------------------------------------------------- */

static bool pane_shown(const DrawView *v, size_t p)
{
    return !v->pane_shown || v->pane_shown[p];
}

static bool lane_shown(const DrawView *v, size_t p, size_t l)
{
    return !v->lane_shown || !v->lane_shown[p] || v->lane_shown[p][l];
}

void draw_view_fit(DrawView *v, const Model *m)
{
    double hi = 0;
    for (size_t p = 0; p < m->npanes; p++) {
        if (!pane_shown(v, p))
            continue;
        double e = v->axis == DRAW_AXIS_TICKS ? (double)m->panes[p].total_ticks : (double)m->panes[p].wall_ns;
        if (e > hi)
            hi = e;
    }
    v->x0 = 0;
    v->x1 = hi > 0 ? hi * 1.002 : 1;
}

void draw_view_init(DrawView *v, const Model *m)
{
    memset(v, 0, sizeof *v);
    v->axis = DRAW_AXIS_TIME;
    v->width = 1920;
    v->height = 1080;
    v->scale = 1;
    v->theme = DRAW_THEME_LIGHT;
    v->parts = DRAW_ALL;
    v->hover.pane = v->pinned.pane = -1;
    draw_view_fit(v, m);
}

/* Where everything goes: shared by drawing and hit testing. */
typedef struct Layout {
    double title_y, legend_y, legend_h;
    double name_w;              /* lane-name column */
    double px0, px1;            /* plot x extent */
    double py0, py1;
    double lane_h;
    double pane_head_h;
    double axis_y;
    double name_every;          /* draw every k-th lane name when lanes are thin */
} Layout;

static double scale_of(const DrawView *v)
{
    return v->scale > 0 ? v->scale : 1;
}

static double legend_height(Ctx *c, double width);

static void layout_compute(Ctx *c, Layout *L)
{
    const DrawView *v = c->v;
    const Model *m = c->m;
    double W = c->W, H = c->H;
    double y = MARGIN;
    L->title_y = y;
    if (v->parts & DRAW_TITLE) {
        y += line_h(F_TITLE);
        char hl[256];
        if (model_headline(m, hl, sizeof hl)[0])
            y += line_h(F_HEAD);
        y += 6;
    }
    L->legend_y = y;
    L->legend_h = (v->parts & DRAW_LEGEND) && c->lay ? legend_height(c, W - 2 * MARGIN) : 0;
    y += L->legend_h + (L->legend_h > 0 ? 10 : 0);
    /* Name column: the widest shown lane name, within bounds. */
    double nw = 80;
    size_t nl = 0, np = 0;
    for (size_t p = 0; p < m->npanes; p++) {
        if (!pane_shown(v, p))
            continue;
        np++;
        for (size_t l = 0; l < m->panes[p].nlanes; l++) {
            if (!lane_shown(v, p, l))
                continue;
            nl++;
            if (c->lay) {
                double w;
                text_size(c, F_BODY, m->panes[p].lanes[l].name, &w, NULL);
                if (w > nw)
                    nw = w;
            }
        }
    }
    L->name_w = fmin(nw, fmax(120, W * 0.22)) + 14;
    L->px0 = MARGIN + L->name_w;
    L->px1 = W - MARGIN;
    if (L->px1 < L->px0 + 50)
        L->px1 = L->px0 + 50;
    double pane_head = (v->parts & DRAW_FIGURES) ? line_h(F_PANE) + line_h(F_SMALL) + 6 : line_h(F_PANE) + 4;
    L->pane_head_h = pane_head;
    double axis_h = (v->parts & DRAW_AXIS) ? line_h(F_SMALL) * 2 + 10 : 0;
    L->py0 = y;
    L->axis_y = H - MARGIN - axis_h;
    double avail = L->axis_y - y - np * (pane_head + 10);
    L->lane_h = nl ? fmin(80, fmax(3, avail / (double)nl - LANE_GAP)) : 20;
    L->py1 = y + np * (pane_head + 10) + nl * (L->lane_h + LANE_GAP);
    double need = line_h(F_BODY) - 2;
    L->name_every = L->lane_h + LANE_GAP >= need ? 1 : ceil(need / (L->lane_h + LANE_GAP));
}

static void ctx_init(Ctx *c, cairo_t *cr, const Model *m, const DrawView *v)
{
    memset(c, 0, sizeof *c);
    c->cr = cr;
    c->m = m;
    c->v = v;
    c->th = &themes[v->theme == DRAW_THEME_DARK];
    c->scale = scale_of(v);
    c->W = v->width / c->scale;
    c->H = v->height / c->scale;
    if (cr) {
        c->dc = v->cache;
        if (!c->dc) {
            c->dc = draw_cache_new();
            c->own_dc = true;
        }
        c->font = c->dc->font;
        /* Text is laid out for cr's target and transformation (set before
         * this call); cached layouts follow when either changed. */
        pango_cairo_update_context(cr, c->dc->pctx);
        c->lay = pango_layout_new(c->dc->pctx);
    }
}

static void ctx_fini(Ctx *c)
{
    if (c->lay)
        g_object_unref(c->lay);
    if (c->own_dc)
        draw_cache_free(c->dc);
}

/* A layout without text measurement (hit testing with no cairo_t) would
 * differ from the drawn one: measure with a scratch surface instead. */
static void layout_for(const Model *m, const DrawView *v, Layout *L)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale_of(v), scale_of(v));     /* as draw_chart: text measures the same */
    Ctx c;
    ctx_init(&c, cr, m, v);
    layout_compute(&c, L);
    ctx_fini(&c);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

void draw_layout(const Model *m, const DrawView *v, DrawLayout *out)
{
    Layout L;
    layout_for(m, v, &L);
    out->plot_x0 = L.px0;
    out->plot_x1 = L.px1;
    out->plot_y0 = L.py0;
    out->plot_y1 = L.py1;
}

static double px_to_x(const Layout *L, const DrawView *v, double px)
{
    return v->x0 + (px - L->px0) * (v->x1 - v->x0) / (L->px1 - L->px0);
}

static double x_to_px(const Layout *L, const DrawView *v, double x)
{
    return L->px0 + (x - v->x0) * (L->px1 - L->px0) / (v->x1 - v->x0);
}

double draw_px_to_x(const Model *m, const DrawView *v, double px)
{
    Layout L;
    layout_for(m, v, &L);
    return px_to_x(&L, v, px);
}

double draw_x_to_px(const Model *m, const DrawView *v, double x)
{
    Layout L;
    layout_for(m, v, &L);
    return x_to_px(&L, v, x);
}

uint64_t draw_x_to_ns(const Model *m, const DrawView *v, int pane, double x)
{
    if (x <= 0)
        return 0;
    if (v->axis == DRAW_AXIS_TICKS)
        return model_pane_ns_at_ticks(&m->panes[pane], (uint64_t)x);
    return x >= 1.8e19 ? UINT64_MAX / 2 : (uint64_t)x;
}

double draw_ns_to_x(const Model *m, const DrawView *v, int pane, uint64_t ns)
{
    if (v->axis == DRAW_AXIS_TICKS)
        return (double)model_pane_ticks_at(&m->panes[pane], ns);
    return (double)ns;
}

/* Calls fn for every shown lane with its band's top y. */
typedef void (*LaneFn)(Ctx *c, const Layout *L, size_t p, size_t l, double y, void *arg);

static void pane_header(Ctx *c, const Layout *L, size_t p, double y);

static void for_lanes(Ctx *c, const Layout *L, LaneFn fn, void (*pane_fn)(Ctx *, const Layout *, size_t, double),
                      void *arg)
{
    double y = L->py0;
    for (size_t p = 0; p < c->m->npanes; p++) {
        if (!pane_shown(c->v, p))
            continue;
        if (pane_fn)
            pane_fn(c, L, p, y);
        y += L->pane_head_h;
        size_t k = 0;
        for (size_t l = 0; l < c->m->panes[p].nlanes; l++) {
            if (!lane_shown(c->v, p, l))
                continue;
            if (fn)
                fn(c, L, p, l, y, arg);
            (void)k;
            k++;
            y += L->lane_h + LANE_GAP;
        }
        y += 10;
    }
}

/* ---- hit testing ---------------------------------------------------------------------------- */

typedef struct HitArg {
    double px, py;
    DrawRef *ref;
    uint64_t *ns;
    bool hit;
} HitArg;

static void hit_lane(Ctx *c, const Layout *L, size_t p, size_t l, double y, void *arg)
{
    HitArg *h = arg;
    if (h->hit || h->py < y || h->py >= y + L->lane_h + LANE_GAP || h->px < L->px0 || h->px > L->px1)
        return;
    uint64_t ns = draw_x_to_ns(c->m, c->v, (int)p, px_to_x(L, c->v, h->px));
    h->hit = true;
    h->ref->pane = (int)p;
    h->ref->lane = (int)l;
    h->ref->interval = model_lane_find(&c->m->panes[p].lanes[l], ns);
    if (h->ns)
        *h->ns = ns;
}

bool draw_hit(const Model *m, const DrawView *v, double px, double py, DrawRef *ref, uint64_t *ns)
{
    Layout L;
    layout_for(m, v, &L);
    Ctx c;
    ctx_init(&c, NULL, m, v);
    HitArg h = { px, py, ref, ns, false };
    ref->pane = -1;
    ref->lane = -1;
    ref->interval = -1;
    for_lanes(&c, &L, hit_lane, NULL, &h);
    return h.hit;
}

void draw_describe(const Model *m, DrawRef ref, char *buf, size_t size)
{
    if (ref.pane < 0 || (size_t)ref.pane >= m->npanes || ref.lane < 0 ||
        (size_t)ref.lane >= m->panes[ref.pane].nlanes) {
        snprintf(buf, size, "-");
        return;
    }
    const ModelLane *ln = &m->panes[ref.pane].lanes[ref.lane];
    if (ref.interval < 0 || (size_t)ref.interval >= ln->nintervals) {
        snprintf(buf, size, "%s: not running", ln->name);
        return;
    }
    ModelInterval iv;
    model_lane_interval(ln, (size_t)ref.interval, &iv);
    char d[32], t[32], why[96] = "";
    draw_format_ns((double)(iv.t1 - iv.t0), d, sizeof d);
    draw_format_ns((double)iv.t0, t, sizeof t);
    switch (iv.state) {
    case MS_RUNNING:
        snprintf(why, sizeof why, "%s%s", iv.switched ? "took the GIL from another thread" : "re-took the GIL",
                 iv.contended ? " after waiting" : "");
        break;
    case MS_BLOCKED: snprintf(why, sizeof why, "in a %s call", trace_block_name(iv.detail)); break;
    case MS_WAITING:
        snprintf(why, sizeof why, iv.detail != 0xff ? "after a %s release" : "asked for the GIL",
                 trace_reason_name(iv.detail));
        break;
    case MS_SWITCH_WAIT: snprintf(why, sizeof why, "forced off, waiting for another thread to take it"); break;
    case MS_GAP: snprintf(why, sizeof why, "no data: events were lost or chunks are missing here"); break;
    default: break;
    }
    snprintf(buf, size, "%s: %s for %s\nfrom %s%s%s", ln->name, model_state_name(iv.state), d, t, why[0] ? "\n" : "",
             why);
}

/* ---- drawing ----------------------------------------------------------------------------------- */

/* "1,234,567" */
static void format_thousands(uint64_t v, char *buf, size_t size)
{
    char d[32];
    int n = snprintf(d, sizeof d, "%llu", (unsigned long long)v), k = 0;
    char out[48];
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = d[i];
    }
    out[k] = 0;
    snprintf(buf, size, "%s", out);
}

char *draw_pane_figures(const ModelPane *pn, char *buf, size_t size)
{
    char wall[32], nodata[192] = "";
    draw_format_ns((double)pn->wall_ns, wall, sizeof wall);
    uint64_t fw = pn->total.marks[MK_FAILED_FIRST] + pn->total.marks[MK_FAILED_RETRY];
    size_t u = 0;
    if (pn->lost) {
        char lost[48];
        format_thousands(pn->lost, lost, sizeof lost);
        u += (size_t)snprintf(nodata + u, sizeof nodata - u, ", %s event%s lost", lost, pn->lost == 1 ? "" : "s");
    }
    if (pn->missing_chunks && u < sizeof nodata)
        u += (size_t)snprintf(nodata + u, sizeof nodata - u, ", %u event chunk%s missing", pn->missing_chunks,
                              pn->missing_chunks == 1 ? "" : "s");
    if (pn->cut_lanes && u < sizeof nodata)
        u += (size_t)snprintf(nodata + u, sizeof nodata - u, ", %u thread%s cut short", pn->cut_lanes,
                              pn->cut_lanes == 1 ? "" : "s");
    if (u)
        nodata[0] = ':';        /* ", a, b" -> ": a, b" after "no data" */
    snprintf(buf, size,
             "wall %s%s%s   ·   GIL wait %.0f%% of wanted time   ·   %llu switches   ·   %llu failed wake-ups   ·   "
             "%llu drop requests",
             wall, u ? "   ·   no data" : "", nodata, pn->wait_share * 100, (unsigned long long)pn->total.switches,
             (unsigned long long)fw, (unsigned long long)pn->total.marks[MK_DROP_REQUEST]);
    return buf;
}

const char *draw_gap_label(void)
{
    return "no data (events lost or missing)";
}

typedef struct LegendItem {
    int kind;                   /* 0 swatch of state s, 1 tick of colour, 2 triangle, 3 hatch */
    int state;
    const char *label;
} LegendItem;

static const LegendItem legend_items[] = {
    { 0, MS_RUNNING, "running (holds the GIL)" },
    { 0, MS_WAITING, "waiting for the GIL" },
    { 0, MS_SWITCH_WAIT, "switch wait (forced off)" },
    { 0, MS_BLOCKED, "blocked in a call" },
    { 0, MS_IDLE, "not running" },
    { 3, MS_GAP, NULL },        /* draw_gap_label() */
    { 1, 0, "failed wake-up" },
    { 1, 1, "retry" },
    { 2, 0, "drop request" },
};
#define NLEGEND (sizeof legend_items / sizeof *legend_items)

static cairo_pattern_t *hatch_pattern(const Theme *th)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 8, 8);
    cairo_t *cr = cairo_create(s);
    set_rgb(cr, th->bg);
    cairo_paint(cr);
    set_rgb(cr, th->state[MS_GAP]);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, -2, 10);
    cairo_line_to(cr, 10, -2);
    cairo_move_to(cr, 6, 10);
    cairo_line_to(cr, 10, 6);
    cairo_move_to(cr, -2, 2);
    cairo_line_to(cr, 2, -2);
    cairo_stroke(cr);
    cairo_destroy(cr);
    cairo_pattern_t *p = cairo_pattern_create_for_surface(s);
    cairo_pattern_set_extend(p, CAIRO_EXTEND_REPEAT);
    cairo_surface_destroy(s);
    return p;
}

static const char *legend_label(const LegendItem *it)
{
    return it->label ? it->label : draw_gap_label();
}

static double legend_item_w(Ctx *c, const LegendItem *it)
{
    double w;
    text_size(c, F_SMALL, legend_label(it), &w, NULL);
    return 22 + w + 22;
}

static double legend_height(Ctx *c, double width)
{
    double x = 0, rows = 1;
    for (size_t i = 0; i < NLEGEND; i++) {
        double w = legend_item_w(c, &legend_items[i]);
        if (x > 0 && x + w > width) {
            rows++;
            x = 0;
        }
        x += w;
    }
    return rows * line_h(F_SMALL);
}

static void draw_legend(Ctx *c, const Layout *L)
{
    cairo_t *cr = c->cr;
    double x0 = MARGIN, x = x0, y = L->legend_y, width = c->W - 2 * MARGIN, h = font_px[F_SMALL];
    for (size_t i = 0; i < NLEGEND; i++) {
        const LegendItem *it = &legend_items[i];
        double w = legend_item_w(c, it);
        if (x > x0 && x + w - x0 > width) {
            x = x0;
            y += line_h(F_SMALL);
        }
        double sy = y + (line_h(F_SMALL) - h) / 2;
        cairo_save(cr);
        if (it->kind == 0) {
            set_rgb(cr, c->th->state[it->state]);
            cairo_rectangle(cr, x, sy, 16, h);
            cairo_fill(cr);
        } else if (it->kind == 3) {
            cairo_pattern_t *pat = hatch_pattern(c->th);
            cairo_set_source(cr, pat);
            cairo_rectangle(cr, x, sy, 16, h);
            cairo_fill(cr);
            cairo_pattern_destroy(pat);
        } else if (it->kind == 1) {
            set_rgb(cr, c->th->strip);
            cairo_rectangle(cr, x, sy, 16, h);
            cairo_fill(cr);
            set_rgb(cr, it->state ? c->th->retry : c->th->busy);
            cairo_rectangle(cr, x + 6.5, sy, 3, h);
            cairo_fill(cr);
        } else {
            set_rgb(cr, c->th->drop);
            cairo_move_to(cr, x + 2, sy + 1);
            cairo_line_to(cr, x + 14, sy + 1);
            cairo_line_to(cr, x + 8, sy + h - 1);
            cairo_close_path(cr);
            cairo_fill(cr);
        }
        cairo_restore(cr);
        text(c, F_SMALL, x + 22, y, legend_label(it), c->th->fg, 0, 0);
        x += w;
    }
}

static void pane_header(Ctx *c, const Layout *L, size_t p, double y)
{
    const ModelPane *pn = &c->m->panes[p];
    double x = MARGIN;
    cairo_save(c->cr);
    set_rgb(c->cr, c->th->bg);
    cairo_rectangle(c->cr, 0, y - 4, c->W, L->pane_head_h + 2);
    cairo_fill(c->cr);
    cairo_restore(c->cr);
    double w = text(c, F_PANE, x, y, pn->label, c->th->fg, c->W * 0.35, 0);
    text(c, F_SMALL, x + w + 16, y + (font_px[F_PANE] - font_px[F_SMALL]) * 0.8, pn->params, c->th->dim,
         c->W - MARGIN - (x + w + 16), 0);
    if (!(c->v->parts & DRAW_FIGURES))
        return;
    char fig[512];
    draw_pane_figures(pn, fig, sizeof fig);
    text(c, F_SMALL, x, y + line_h(F_PANE), fig, c->th->fg, c->W - 2 * MARGIN, 0);
    (void)L;
}

static void bars_paths(Ctx *c, cairo_t *cr, int dx0, int ncol, const uint64_t *edges,
                       uint64_t (*sh)[MS__COUNT], double dby, double dbh, cairo_pattern_t *hatch)
{
    /* Pure columns merge into runs; mixed ones stack their shares. */
    for (int st = 0; st < MS__COUNT; st++) {
        int run0 = -1;
        for (int i = 0; i <= ncol; i++) {
            uint64_t span = i < ncol ? edges[i + 1] - edges[i] : 0;
            bool pure = i < ncol && span && sh[i][st] == span;
            if (pure && run0 < 0)
                run0 = i;
            if (!pure && run0 >= 0) {
                cairo_rectangle(cr, dx0 + run0, dby, i - run0, dbh);
                run0 = -1;
            }
        }
        if (st == MS_GAP)
            cairo_set_source(cr, hatch);
        else
            set_rgb(cr, c->th->state[st]);
        cairo_fill(cr);
    }
    /* Mixed columns: stacked from the bottom in legend order, one fill per state. */
    unsigned char *mixed = malloc((size_t)ncol);
    for (int i = 0; i < ncol; i++) {
        uint64_t span = edges[i + 1] - edges[i];
        mixed[i] = span != 0;
        for (int st = 0; st < MS__COUNT && mixed[i]; st++)
            if (sh[i][st] == span)
                mixed[i] = 0;
    }
    for (int st = 0; st < MS__COUNT; st++) {
        bool any = false;
        for (int i = 0; i < ncol; i++) {
            if (!mixed[i] || !sh[i][st])
                continue;
            double span = (double)(edges[i + 1] - edges[i]), before = 0;
            for (int q = 0; q < st; q++)
                before += (double)sh[i][q];
            double y1 = dby + dbh - round(before / span * dbh);
            double y0 = dby + dbh - round((before + (double)sh[i][st]) / span * dbh);
            if (y1 <= y0)
                continue;
            cairo_rectangle(cr, dx0 + i, y0, 1, y1 - y0);
            any = true;
        }
        if (!any)
            continue;
        if (st == MS_GAP)
            cairo_set_source(cr, hatch);
        else
            set_rgb(cr, c->th->state[st]);
        cairo_fill(cr);
    }
    free(mixed);
}

/* The same bars written straight into an ARGB32/RGB24 image target whose
 * device space is cr's (no transform beyond the scale): false if cr is
 * not such a target.  Gaps are drawn hatched by hand. */
/* cr draws in device pixels of a 32-bit image surface: the surface, or NULL. */
static cairo_surface_t *pixel_target(cairo_t *cr)
{
    cairo_surface_t *t = cairo_get_target(cr);
    if (cairo_surface_get_type(t) != CAIRO_SURFACE_TYPE_IMAGE)
        return NULL;
    cairo_format_t f = cairo_image_surface_get_format(t);
    if (f != CAIRO_FORMAT_ARGB32 && f != CAIRO_FORMAT_RGB24)
        return NULL;
    double ux = 0, uy = 0;
    cairo_user_to_device(cr, &ux, &uy);
    double one_x = 1, one_y = 0;
    cairo_user_to_device_distance(cr, &one_x, &one_y);
    if (ux != 0 || uy != 0 || one_x != 1 || one_y != 0)
        return NULL;
    return t;
}

static uint32_t pixel_of(Rgb k)
{
    return 0xff000000u | (uint32_t)lround(k.r * 255) << 16 | (uint32_t)lround(k.g * 255) << 8 |
           (uint32_t)lround(k.b * 255);
}

/* The marks strip of one lane as pixels: cairo fills of thousands of tiny
 * ticks and triangles cost milliseconds per lane.  Same shapes as the
 * path version below, without anti-aliasing. */
static bool marks_pixels(Ctx *c, cairo_t *cr, int dx0, int ncol, const uint8_t *kinds, double dsy, double dsh)
{
    cairo_surface_t *t = pixel_target(cr);
    if (!t)
        return false;
    cairo_surface_flush(t);
    unsigned char *data = cairo_image_surface_get_data(t);
    int W = cairo_image_surface_get_width(t), H = cairo_image_surface_get_height(t);
    int stride = cairo_image_surface_get_stride(t);
    double s = c->scale;
    int y0 = (int)lround(dsy), y1 = (int)lround(dsy + dsh);
    if (y0 < 0)
        y0 = 0;
    if (y1 > H)
        y1 = H;
    if (y1 <= y0)
        return true;
    int tick_w = (int)lround(fmax(1.5 * s, 2));
    double tw = fmin(dsh, 8 * s);
    for (int kind = 0; kind < 3; kind++) {
        int prev_col = -10;
        unsigned bit = 1u << (kind == 0 ? MK_FAILED_FIRST : kind == 1 ? MK_FAILED_RETRY : MK_DROP_REQUEST);
        uint32_t px = pixel_of(kind == 0 ? c->th->busy : kind == 1 ? c->th->retry : c->th->drop);
        for (int i = 0; i < ncol; i++) {
            if (!(kinds[i] & bit) || i - prev_col < (kind == 2 ? (int)(6 * s) : (int)ceil(s)))
                continue;
            prev_col = i;
            double xc = dx0 + i + 0.5;
            for (int y = y0; y < y1; y++) {
                int xa, xb;
                if (kind < 2) {
                    xa = dx0 + i - (tick_w - 1) / 2;
                    xb = xa + tick_w;
                } else {
                    /* Apex down: full width at the top, a point at the bottom. */
                    double half = tw / 2 * (1 - (y + 0.5 - dsy) / dsh);
                    if (half < 0.25)
                        continue;
                    xa = (int)lround(xc - half);
                    xb = (int)lround(xc + half);
                    if (xb <= xa)
                        xb = xa + 1;
                }
                if (xa < 0)
                    xa = 0;
                if (xb > W)
                    xb = W;
                uint32_t *row = (uint32_t *)(data + (size_t)y * (size_t)stride);
                for (int x = xa; x < xb; x++)
                    row[x] = px;
            }
        }
    }
    int xa = dx0 - 8 < 0 ? 0 : dx0 - 8, xb = dx0 + ncol + 8 > W ? W : dx0 + ncol + 8;
    if (xb > xa)
        cairo_surface_mark_dirty_rectangle(t, xa, y0, xb - xa, y1 - y0);
    return true;
}

static bool bars_pixels(Ctx *c, cairo_t *cr, int dx0, int ncol, const uint64_t *edges,
                        uint64_t (*sh)[MS__COUNT], double dby, double dbh)
{
    cairo_surface_t *t = pixel_target(cr);
    if (!t)
        return false;
    cairo_surface_flush(t);
    unsigned char *data = cairo_image_surface_get_data(t);
    int W = cairo_image_surface_get_width(t), H = cairo_image_surface_get_height(t);
    int stride = cairo_image_surface_get_stride(t);
    double clip_y = c->H * c->scale;
    uint32_t col[MS__COUNT];
    for (int st = 0; st < MS__COUNT; st++) {
        Rgb k = c->th->state[st];
        col[st] = 0xff000000u | (uint32_t)lround(k.r * 255) << 16 | (uint32_t)lround(k.g * 255) << 8 |
                  (uint32_t)lround(k.b * 255);
    }
    Rgb bgc = c->th->bg;
    uint32_t bg = 0xff000000u | (uint32_t)lround(bgc.r * 255) << 16 | (uint32_t)lround(bgc.g * 255) << 8 |
                  (uint32_t)lround(bgc.b * 255);
    int y0 = (int)lround(dby), y1 = (int)lround(dby + dbh);
    if (y0 < 0)
        y0 = 0;
    if (y1 > H)
        y1 = H;
    if (y1 > (int)clip_y)
        y1 = (int)clip_y;
    int h = y1 - y0;
    if (h <= 0)
        return true;
    for (int i = 0; i < ncol; i++) {
        int x = dx0 + i;
        if (x < 0 || x >= W)
            continue;
        uint64_t span = edges[i + 1] - edges[i];
        if (!span)
            continue;
        /* From the bottom up, in legend order. */
        double acc = 0;
        int yb = y1;
        for (int st = 0; st < MS__COUNT; st++) {
            if (!sh[i][st])
                continue;
            acc += (double)sh[i][st] / (double)span;
            int ya = y1 - (int)lround(acc * h);
            if (ya < y0)
                ya = y0;
            for (int y = ya; y < yb; y++) {
                uint32_t px = col[st];
                if (st == MS_GAP && ((x + y) & 7) >= 3)
                    px = bg;
                *(uint32_t *)(data + (size_t)y * (size_t)stride + (size_t)x * 4) = px;
            }
            yb = ya;
        }
    }
    cairo_surface_mark_dirty_rectangle(t, dx0 < 0 ? 0 : dx0, y0, ncol, h);
    return true;
}

/* The state bar and marks of one lane, column by column in device pixels. */
static void draw_lane(Ctx *c, const Layout *L, size_t p, size_t l, double y, void *arg)
{
    cairo_pattern_t *hatch = arg;
    cairo_t *cr = c->cr;
    const ModelLane *ln = &c->m->panes[p].lanes[l];
    const DrawView *v = c->v;
    double s = c->scale;
    double strip = fmax(2, floor(L->lane_h * 0.3));
    double by = y + strip, bh = L->lane_h - strip;
    /* Name. */
    size_t k = 0;
    for (size_t i = 0; i < l; i++)
        k += lane_shown(v, p, i);
    if (fmod((double)k, L->name_every) == 0) {
        double th_h = line_h(F_BODY);
        text(c, F_BODY, L->px0 - 10, y + (L->lane_h - th_h) / 2 + 1, ln->name, c->th->fg, L->name_w - 10, 1);
    }
    cairo_save(cr);
    set_rgb(cr, c->th->strip);
    cairo_rectangle(cr, L->px0, y, L->px1 - L->px0, strip);
    cairo_fill(cr);
    cairo_restore(cr);
    /* Columns in device pixels. */
    int dx0 = (int)floor(L->px0 * s), dx1 = (int)ceil(L->px1 * s);
    int ncol = dx1 - dx0;
    if (ncol <= 0)
        return;
    uint64_t *edges = malloc((size_t)(ncol + 1) * sizeof *edges);
    uint64_t (*sh)[MS__COUNT] = malloc((size_t)ncol * sizeof *sh);
    for (int i = 0; i <= ncol; i++) {
        double x = px_to_x(L, v, (dx0 + i) / s);
        edges[i] = draw_x_to_ns(c->m, v, (int)p, x);
        if (i && edges[i] < edges[i - 1])
            edges[i] = edges[i - 1];
    }
    model_lane_columns(ln, edges, (size_t)ncol, sh);
    cairo_save(cr);
    cairo_scale(cr, 1 / s, 1 / s);      /* device pixels for the columns */
    double dby = by * s, dbh = bh * s;
    /* On an image surface (the viewer, PNG) the bars are written as pixels:
     * a dense trace would otherwise be tens of thousands of rectangles. */
    if (!bars_pixels(c, cr, dx0, ncol, edges, sh, dby, dbh))
        bars_paths(c, cr, dx0, ncol, edges, sh, dby, dbh, hatch);
    /* Marks: at most one tick per kind per column (one binary search per edge). */
    double dsy = y * s, dsh = strip * s;
    unsigned char *kinds = malloc((size_t)ncol);
    model_lane_mark_columns(ln, edges, (size_t)ncol, kinds);
    bool as_pixels = marks_pixels(c, cr, dx0, ncol, kinds, dsy, dsh);
    for (int kind = 0; kind < 3 && !as_pixels; kind++) {
        int prev_col = -10;
        bool any = false;
        unsigned bit = 1u << (kind == 0 ? MK_FAILED_FIRST : kind == 1 ? MK_FAILED_RETRY : MK_DROP_REQUEST);
        for (int i = 0; i < ncol; i++) {
            if (!(kinds[i] & bit) || i - prev_col < (kind == 2 ? (int)(6 * s) : (int)ceil(s)))
                continue;
            prev_col = i;
            any = true;
            if (kind < 2) {
                double w = fmax(1.5 * s, 2);
                cairo_rectangle(cr, dx0 + i + 0.5 - w / 2, dsy, w, dsh);
            } else {
                double tw = fmin(dsh, 8 * s);
                cairo_move_to(cr, dx0 + i + 0.5 - tw / 2, dsy);
                cairo_line_to(cr, dx0 + i + 0.5 + tw / 2, dsy);
                cairo_line_to(cr, dx0 + i + 0.5, dsy + dsh);
                cairo_close_path(cr);
            }
        }
        if (any) {
            set_rgb(cr, kind == 0 ? c->th->busy : kind == 1 ? c->th->retry : c->th->drop);
            cairo_fill(cr);
        }
    }
    free(kinds);
    cairo_restore(cr);
    /* Zoomed in far enough to see intervals: Beazley's bright start line at each acquisition. */
    uint64_t t0 = edges[0], t1 = edges[ncol];
    long long i0 = model_lane_find(ln, t0);
    if (i0 < 0)
        i0 = 0;
    size_t n_in = 0;
    for (size_t i = (size_t)i0; i < ln->nintervals && n_in < (size_t)ncol / 6; i++, n_in++) {
        ModelInterval iv;
        model_lane_interval(ln, i, &iv);
        if (iv.t0 >= t1)
            break;
    }
    if (n_in < (size_t)ncol / 6) {
        cairo_save(cr);
        cairo_set_source_rgb(cr, 0.55, 0.95, 0.35);
        for (size_t i = (size_t)i0; i < ln->nintervals; i++) {
            ModelInterval iv;
            model_lane_interval(ln, i, &iv);
            if (iv.t0 >= t1)
                break;
            if (iv.state != MS_RUNNING || iv.t0 < t0)
                continue;
            double x = x_to_px(L, v, draw_ns_to_x(c->m, v, (int)p, iv.t0));
            cairo_rectangle(cr, x, by, fmin(2, fmax(1, x_to_px(L, v, draw_ns_to_x(c->m, v, (int)p, iv.t1)) - x)), bh);
        }
        cairo_fill(cr);
        cairo_restore(cr);
    }
    free(edges);
    free(sh);
}

static void nice_step(double span, double target, double *step)
{
    double raw = span / fmax(1, target);
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    *step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static void draw_axis(Ctx *c, const Layout *L)
{
    cairo_t *cr = c->cr;
    const DrawView *v = c->v;
    double step;
    nice_step(v->x1 - v->x0, (L->px1 - L->px0) / 130, &step);
    double unit = 1;
    const char *uname = "";
    if (v->axis == DRAW_AXIS_TIME) {
        double big = fmax(fabs(v->x0), fabs(v->x1));
        if (step >= 1e8 || big >= 1e10) {
            unit = 1e9;
            uname = " s";
        } else if (step >= 1e5) {
            unit = 1e6;
            uname = " ms";
        } else if (step >= 1e2) {
            unit = 1e3;
            uname = " µs";
        } else {
            unit = 1;
            uname = " ns";
        }
    }
    int dec = (int)fmax(0, -floor(log10(step / unit) + 1e-9));
    /* When zoomed deep, label offsets from the range start to keep labels short. */
    double first = ceil(v->x0 / step) * step;
    cairo_save(cr);
    set_rgb(cr, c->th->grid);
    cairo_set_line_width(cr, 1);
    for (double x = first; x <= v->x1; x += step) {
        double px = round(x_to_px(L, v, x)) + 0.5;
        cairo_move_to(cr, px, L->py0);
        cairo_line_to(cr, px, L->axis_y + 4);
    }
    cairo_stroke(cr);
    set_rgb(cr, c->th->fg);
    cairo_move_to(cr, L->px0, L->axis_y + 0.5);
    cairo_line_to(cr, L->px1, L->axis_y + 0.5);
    cairo_stroke(cr);
    cairo_restore(cr);
    double last_right = -1e9;
    for (double x = first; x <= v->x1 + step * 1e-9; x += step) {
        char lab[48];
        if (v->axis == DRAW_AXIS_TIME)
            snprintf(lab, sizeof lab, "%.*f%s", dec > 9 ? 9 : dec, x / unit, uname);
        else
            format_count(x, lab, sizeof lab);
        double w;
        text_size(c, F_SMALL, lab, &w, NULL);
        double px = x_to_px(L, v, x);
        if (px - w / 2 < last_right + 8 || px + w / 2 > c->W - 4)
            continue;
        text(c, F_SMALL, px, L->axis_y + 6, lab, c->th->fg, 0, 0.5);
        last_right = px + w / 2;
    }
    const char *what = v->axis == DRAW_AXIS_TIME ? "time since the start of each run"
                                                 : "ticks executed by all threads (Beazley's axis)";
    text(c, F_SMALL, (L->px0 + L->px1) / 2, L->axis_y + 6 + line_h(F_SMALL), what, c->th->dim, 0, 0.5);
}

static void draw_selection(Ctx *c, const Layout *L)
{
    const DrawView *v = c->v;
    cairo_t *cr = c->cr;
    double a = fmax(L->px0, x_to_px(L, v, fmin(v->sel0, v->sel1)));
    double b = fmin(L->px1, x_to_px(L, v, fmax(v->sel0, v->sel1)));
    cairo_save(cr);
    set_rgba(cr, c->th->sel, 0.18);
    cairo_rectangle(cr, a, L->py0, fmax(1, b - a), L->py1 - L->py0);
    cairo_fill(cr);
    set_rgb(cr, c->th->sel);
    cairo_set_line_width(cr, 1.5);
    cairo_move_to(cr, a, L->py0);
    cairo_line_to(cr, a, L->py1);
    cairo_move_to(cr, b, L->py0);
    cairo_line_to(cr, b, L->py1);
    cairo_stroke(cr);
    cairo_restore(cr);
    /* The statistics of the range, one line per lane, in a box. */
    char buf[8192];
    size_t used = 0;
    for (size_t p = 0; p < c->m->npanes && used < sizeof buf - 256; p++) {
        if (!pane_shown(v, p))
            continue;
        uint64_t t0 = draw_x_to_ns(c->m, v, (int)p, fmin(v->sel0, v->sel1));
        uint64_t t1 = draw_x_to_ns(c->m, v, (int)p, fmax(v->sel0, v->sel1));
        char d[32];
        draw_format_ns((double)(t1 - t0), d, sizeof d);
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s: %s selected\n", used ? "\n" : "",
                                 c->m->panes[p].label, d);
        for (size_t l = 0; l < c->m->panes[p].nlanes && used < sizeof buf - 256; l++) {
            if (!lane_shown(v, p, l))
                continue;
            ModelRange r;
            model_lane_range(&c->m->panes[p].lanes[l], t0, t1, &r);
            double tot = 0;
            for (int s = 0; s < MS__COUNT; s++)
                tot += (double)r.ns[s];
            tot = tot > 0 ? tot : 1;
            used += (size_t)snprintf(buf + used, sizeof buf - used,
                                     "  %-14.14s run %3.0f%%  wait %3.0f%%  blocked %3.0f%%  %llu switches  %llu failed\n",
                                     c->m->panes[p].lanes[l].name, 100 * r.ns[MS_RUNNING] / tot,
                                     100 * (r.ns[MS_WAITING] + r.ns[MS_SWITCH_WAIT]) / tot,
                                     100 * r.ns[MS_BLOCKED] / tot, (unsigned long long)r.switches,
                                     (unsigned long long)(r.marks[MK_FAILED_FIRST] + r.marks[MK_FAILED_RETRY]));
        }
    }
    if (used && buf[used - 1] == '\n')
        buf[--used] = 0;
    PangoFontDescription *mono = pango_font_description_from_string("DejaVu Sans Mono");
    pango_font_description_set_absolute_size(mono, font_px[F_SMALL] * PANGO_SCALE);
    pango_layout_set_font_description(c->lay, mono);
    pango_layout_set_width(c->lay, -1);
    pango_layout_set_text(c->lay, buf, -1);
    int w, h;
    pango_layout_get_pixel_size(c->lay, &w, &h);
    double bx = L->px1 - w - 16, byy = L->py0 + 4;
    cairo_save(cr);
    set_rgba(cr, c->th->bg, 0.92);
    cairo_rectangle(cr, bx - 8, byy - 6, w + 16, h + 12);
    cairo_fill_preserve(cr);
    set_rgb(cr, c->th->sel);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    set_rgb(cr, c->th->fg);
    cairo_move_to(cr, bx, byy);
    pango_cairo_show_layout(cr, c->lay);
    cairo_restore(cr);
    pango_font_description_free(mono);
}

typedef struct RefArg {
    DrawRef ref;
    double x0, x1, y;
    bool found;
} RefArg;

static void find_ref(Ctx *c, const Layout *L, size_t p, size_t l, double y, void *arg)
{
    RefArg *r = arg;
    if ((int)p != r->ref.pane || (int)l != r->ref.lane || r->ref.interval < 0)
        return;
    const ModelLane *ln = &c->m->panes[p].lanes[l];
    if ((size_t)r->ref.interval >= ln->nintervals)
        return;
    ModelInterval iv;
    model_lane_interval(ln, (size_t)r->ref.interval, &iv);
    r->x0 = x_to_px(L, c->v, draw_ns_to_x(c->m, c->v, (int)p, iv.t0));
    r->x1 = x_to_px(L, c->v, draw_ns_to_x(c->m, c->v, (int)p, iv.t1));
    r->y = y;
    r->found = true;
}

static void draw_ref(Ctx *c, const Layout *L, DrawRef ref, double tx, double ty)
{
    RefArg r = { .ref = ref };
    if (ref.pane < 0)
        return;
    for_lanes(c, L, find_ref, NULL, &r);
    if (!r.found)
        return;
    cairo_t *cr = c->cr;
    double a = fmax(L->px0 - 2, r.x0), b = fmin(L->px1 + 2, r.x1);
    cairo_save(cr);
    set_rgb(cr, c->th->fg);
    cairo_set_line_width(cr, 2);
    cairo_rectangle(cr, a - 1, r.y - 1, fmax(2, b - a) + 2, L->lane_h + 2);
    cairo_stroke(cr);
    cairo_restore(cr);
    char desc[512];
    draw_describe(c->m, ref, desc, sizeof desc);
    pango_layout_set_font_description(c->lay, c->font[F_SMALL]);
    pango_layout_set_width(c->lay, -1);
    pango_layout_set_text(c->lay, desc, -1);
    int w, h;
    pango_layout_get_pixel_size(c->lay, &w, &h);
    if (tx < 0)
        tx = (a + b) / 2;
    if (ty < 0)
        ty = r.y + L->lane_h;
    double bx = fmin(tx + 14, c->W - w - 20), by = fmin(ty + 14, c->H - h - 20);
    cairo_save(cr);
    set_rgba(cr, c->th->bg, 0.95);
    cairo_rectangle(cr, bx - 8, by - 6, w + 16, h + 12);
    cairo_fill_preserve(cr);
    set_rgb(cr, c->th->dim);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    set_rgb(cr, c->th->fg);
    cairo_move_to(cr, bx, by);
    pango_cairo_show_layout(cr, c->lay);
    cairo_restore(cr);
}

const char *draw_title(const Model *m, const DrawView *v, char *buf, size_t size)
{
    if (v->title) {
        snprintf(buf, size, "%s", v->title);
    } else {
        const char *wl = m->npanes ? m->panes[0].workload : "";
        const char *base = strrchr(wl, '/');
        snprintf(buf, size, "GIL timeline: %s", base ? base + 1 : wl[0] ? wl : "trace");
    }
    return buf;
}

void draw_chart(cairo_t *cr, const Model *m, const DrawView *v)
{
    Ctx c;
    cairo_save(cr);
    cairo_scale(cr, scale_of(v), scale_of(v));
    ctx_init(&c, cr, m, v);
    Layout L;
    layout_compute(&c, &L);
    set_rgb(cr, c.th->bg);
    cairo_paint(cr);
    if (v->parts & DRAW_TITLE) {
        char title[512];
        draw_title(m, v, title, sizeof title);
        text(&c, F_TITLE, MARGIN, L.title_y, title, c.th->fg, c.W - 2 * MARGIN, 0);
        char hl[256];
        if (model_headline(m, hl, sizeof hl)[0])
            text(&c, F_HEAD, MARGIN, L.title_y + line_h(F_TITLE), hl, c.th->accent, c.W - 2 * MARGIN, 0);
    }
    if (v->parts & DRAW_LEGEND)
        draw_legend(&c, &L);
    if (v->parts & DRAW_AXIS)
        draw_axis(&c, &L);
    cairo_pattern_t *hatch = hatch_pattern(c.th);
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, c.W, L.axis_y);
    cairo_clip(cr);
    for_lanes(&c, &L, draw_lane, pane_header, hatch);
    cairo_restore(cr);
    cairo_pattern_destroy(hatch);
    if (v->has_sel && v->sel1 != v->sel0)
        draw_selection(&c, &L);
    if (v->pinned.pane >= 0)
        draw_ref(&c, &L, v->pinned, -1, -1);
    if (v->hover.pane >= 0)
        draw_ref(&c, &L, v->hover, v->hover_px, v->hover_py);
    ctx_fini(&c);
    cairo_restore(cr);
}
