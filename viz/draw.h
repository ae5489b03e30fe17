/*
 * draw.h -- draws a Model with cairo: the same code for the exported
 * PNG/SVG/PDF and for the viewer's window.  Drawing only takes a cairo_t and
 * a DrawView; it keeps no state between calls other than the optional
 * DrawCache of shaped text the view points to, and never touches windows.
 *
 * Coordinates: the cairo_t is in *device pixels* of a view->width x
 * view->height surface, origin top left; everything is laid out in logical
 * pixels (device / view->scale), so scale 2 on a 2x surface gives the same
 * picture twice as sharp.  All px_ values in this API are logical pixels
 * (device pixels / scale), as SDL reports mouse positions on HiDPI windows
 * divided by the scale.
 *
 * The x axis is either time (ns since each pane's start) or Beazley's
 * cumulative ticks (model_pane_ticks_at): view->x0..x1 are in the axis unit.
 */
#ifndef VIZ_DRAW_H
#define VIZ_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

#include "viz/model.h"

typedef enum { DRAW_AXIS_TIME, DRAW_AXIS_TICKS } DrawAxis;
typedef enum { DRAW_THEME_LIGHT, DRAW_THEME_DARK } DrawTheme;

/* Parts of the chart to draw (DrawView.parts); DRAW_ALL for an export. */
enum {
    DRAW_TITLE = 1 << 0,    /* title, subtitle (run parameters), headline */
    DRAW_LEGEND = 1 << 1,
    DRAW_FIGURES = 1 << 2,  /* key figures per pane (wall time, wait share, switches, failed wake-ups) */
    DRAW_AXIS = 1 << 3,
    DRAW_ALL = 0xf
};

/* A reference to one interval (or nothing: pane < 0). */
typedef struct DrawRef {
    int pane;               /* -1: none */
    int lane;               /* index within the pane */
    long long interval;     /* index within the lane */
} DrawRef;

/* Shaped text and fonts kept between frames (optional, see DrawView.cache):
 * one per thread that draws; never shared between threads at once. */
typedef struct DrawCache DrawCache;
/* NULL when out of memory. */
DrawCache *draw_cache_new(void);
/* Loads the fonts now (tens of ms the first time in a process) rather than
 * in the first frame drawn with this cache. */
void draw_cache_warm(DrawCache *dc);
void draw_cache_free(DrawCache *dc);

typedef struct DrawView {
    DrawAxis axis;
    double x0, x1;          /* visible range in axis units (ns or ticks), x0 < x1 */
    int width, height;      /* surface size, device pixels */
    double scale;           /* device pixels per logical pixel (HiDPI); 1 if <= 0 */
    DrawTheme theme;
    unsigned parts;         /* DRAW_* bits */
    const char *title;      /* NULL: made from the workload names */
    const bool *pane_shown; /* [m->npanes], NULL: all */
    const bool *const *lane_shown;  /* [pane][lane], NULL (or a NULL row): all lanes of that pane */
    bool has_sel;           /* a selected range [sel0, sel1) in axis units: shaded, with its statistics */
    double sel0, sel1;
    DrawRef hover;          /* interval under the pointer: outlined, with a tooltip at (hover_px, hover_py) */
    double hover_px, hover_py;
    DrawRef pinned;         /* a clicked interval: outlined, its tooltip stays */
    DrawCache *cache;       /* NULL: text is shaped afresh in each call; a viewer keeps one */
} DrawView;

/* A view of everything: x range fitted to the longest pane, all panes and
 * lanes, DRAW_ALL, 1920x1080, scale 1, light, no selection/hover. */
void draw_view_init(DrawView *v, const Model *m);
/* Sets x0..x1 to the whole of the visible panes in v->axis units. */
void draw_view_fit(DrawView *v, const Model *m);

/* Draws the whole chart into cr (whose user space must be the surface's
 * device pixels).  Saves and restores cr's state. */
void draw_chart(cairo_t *cr, const Model *m, const DrawView *v);

/* The plot area (where lanes are drawn), in logical pixels. */
typedef struct DrawLayout {
    double plot_x0, plot_x1;        /* x extent of the lanes' bands */
    double plot_y0, plot_y1;
} DrawLayout;
void draw_layout(const Model *m, const DrawView *v, DrawLayout *out);

/* Logical pixel x <-> axis unit (linear within the plot area).  Outside the
 * plot area x extrapolates linearly. */
double draw_px_to_x(const Model *m, const DrawView *v, double px);
double draw_x_to_px(const Model *m, const DrawView *v, double x);
/* Axis unit <-> ns of a pane (identity for the time axis). */
uint64_t draw_x_to_ns(const Model *m, const DrawView *v, int pane, double x);
double draw_ns_to_x(const Model *m, const DrawView *v, int pane, uint64_t ns);

/* What is under logical pixel (px, py): a lane's band (ref.interval is
 * the interval at that time, -1 if none) and the time there.  False when
 * the point is on no lane. */
bool draw_hit(const Model *m, const DrawView *v, double px, double py, DrawRef *ref, uint64_t *ns);

/* A one-to-three-line description of an interval ("running 1.20 ms from
 * 3.456 s\nacquired after a switch"...), as the tooltip shows it. */
void draw_describe(const Model *m, DrawRef ref, char *buf, size_t size);

/* The key figures of a pane as its header prints them: wall time, then
 * when data is missing "no data: N events lost, K event chunks missing, T
 * threads cut short" (early, so that a narrow chart's ellipsis never hides
 * it), GIL wait share, switches, failed wake-ups, drop requests.  Returns
 * buf. */
char *draw_pane_figures(const ModelPane *pn, char *buf, size_t size);
/* The legend's label of the hatched band drawn where data is missing. */
const char *draw_gap_label(void);

/* "12.3 ms", "1.50 s", "850 ns": durations in a unit that fits. */
void draw_format_ns(double ns, char *buf, size_t size);

/* The chart's title: the view's, or "GIL timeline: WORKLOAD". */
const char *draw_title(const Model *m, const DrawView *v, char *buf, size_t size);

#endif
