/*
 * viewer.c -- `gilscope view`: one SDL2 window showing the chart that
 * viz/draw.c paints into a cairo image surface, copied into a streaming
 * texture only when something changed.  Events arrive through
 * SDL_WaitEventTimeout; one loop() per frame drains them, redraws if needed
 * and presents (SDL's test programs).  Key bindings are the table
 * `bindings` below: (modifiers, key, command, argument), as nsxiv's.
 *
 * Coordinates: SDL reports the mouse in window points; the drawable (the
 * cairo surface, the texture) is in device pixels; view.scale = drawable
 * width / window width.  draw.h's px_ values are logical pixels, which are
 * window points, so the mouse position goes to draw_* unchanged.  The x
 * range and the selection are in axis units (ns or ticks, DrawView).
 *
 * Headless: --offscreen selects SDL's offscreen driver; --replay feeds a
 * script (viz/replay.h) through the same event path, as SDL events pushed
 * onto the queue; --screenshot writes the last frame.  Without a display
 * SDL falls back to its offscreen or dummy driver by itself: that is
 * noticed and reported (exit 69) unless --offscreen was asked for.
 */
#include "viz/viewer.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "viz/draw.h"
#include "viz/export.h"
#include "viz/model.h"
#include "viz/replay.h"

enum { EX_OK = 0, EX_USAGE = 64, EX_DATAERR = 65, EX_UNAVAILABLE = 69, EX_SOFTWARE = 70, EX_IOERR = 74 };

#define ZOOM_STEP 0.8           /* width factor per W press or wheel click */
#define PAN_STEP 0.1            /* share of the width per A/D press */
#define DRAG_SLOP 3.0           /* points a press may move and still be a click */
#define MESSAGE_MS 5000         /* how long a message stays in the window */
#define MIN_WIDTH_NS 100.0      /* the deepest zoom: 100 ns (time axis) ... */
#define MIN_WIDTH_TICKS 4.0     /* ... or 4 ticks across the plot */
#define DEFAULT_W 1280
#define DEFAULT_H 720

typedef enum { DRAG_NONE, DRAG_PAN, DRAG_SELECT } DragKind;

typedef struct Viewer {
    Model *m;
    DrawView v;
    bool *pane_shown;           /* [m->npanes], v.pane_shown points here */
    double fit_x0, fit_x1;      /* all panes' extent in axis units: the limits of zoom and pan */
    const char *export_base;    /* E writes BASE-view-N.png in the current directory */
    int exports;

    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;           /* streaming, the size of surf */
    cairo_surface_t *surf;      /* the frame, device pixels */
    int win_w, win_h;           /* window size, points */

    bool dirty;                 /* the frame must be drawn again */
    bool present;               /* the texture must be shown again (expose) */
    bool quit;
    bool help;                  /* the key help overlay */

    double mx, my;              /* pointer, points; mx < 0: outside the window */
    DragKind drag;
    double press_mx, press_my;  /* where the left button went down */
    double press_x0, press_x1;  /* the x range then (panning) */
    bool moved;                 /* the pointer left DRAG_SLOP since */

    char msg[600];              /* a message shown at the bottom until msg_until */
    Uint32 msg_until;
} Viewer;

/* ---- commands and the key table --------------------------------------------------------- */

typedef void (*Command)(Viewer *vw, int arg);

static void cmd_zoom(Viewer *vw, int arg);
static void cmd_pan(Viewer *vw, int arg);
static void cmd_fit(Viewer *vw, int arg);
static void cmd_axis(Viewer *vw, int arg);
static void cmd_pane(Viewer *vw, int arg);
static void cmd_clear(Viewer *vw, int arg);
static void cmd_theme(Viewer *vw, int arg);
static void cmd_export(Viewer *vw, int arg);
static void cmd_help(Viewer *vw, int arg);
static void cmd_quit(Viewer *vw, int arg);

#define MOD_NONE 0u
#define MOD_SHIFT 1u
#define MOD_CTRL 2u
#define MOD_ALT 4u
#define MOD_ANY 8u              /* whatever modifiers are held */

typedef struct Binding {
    unsigned mods;
    SDL_Keycode key;
    Command cmd;
    int arg;
    const char *keys, *help;    /* a line of the help; NULL for a variant of the line above */
} Binding;

static const Binding bindings[] = {
    {MOD_NONE, SDLK_w, cmd_zoom, 1, "W / S", "zoom in / out around the centre (shift: 4 steps)"},
    {MOD_SHIFT, SDLK_w, cmd_zoom, 4, NULL, NULL},
    {MOD_NONE, SDLK_s, cmd_zoom, -1, NULL, NULL},
    {MOD_SHIFT, SDLK_s, cmd_zoom, -4, NULL, NULL},
    {MOD_NONE, SDLK_UP, cmd_zoom, 1, NULL, NULL},
    {MOD_NONE, SDLK_DOWN, cmd_zoom, -1, NULL, NULL},
    {MOD_NONE, SDLK_a, cmd_pan, -1, "A / D", "pan left / right (shift: half a screen)"},
    {MOD_SHIFT, SDLK_a, cmd_pan, -5, NULL, NULL},
    {MOD_NONE, SDLK_d, cmd_pan, 1, NULL, NULL},
    {MOD_SHIFT, SDLK_d, cmd_pan, 5, NULL, NULL},
    {MOD_NONE, SDLK_LEFT, cmd_pan, -1, NULL, NULL},
    {MOD_NONE, SDLK_RIGHT, cmd_pan, 1, NULL, NULL},
    {MOD_NONE, SDLK_f, cmd_fit, 0, "F", "fit everything"},
    {MOD_NONE, SDLK_1, cmd_pane, 0, "1 - 9", "show / hide pane N (one trace run each)"},
    {MOD_NONE, SDLK_2, cmd_pane, 1, NULL, NULL},
    {MOD_NONE, SDLK_3, cmd_pane, 2, NULL, NULL},
    {MOD_NONE, SDLK_4, cmd_pane, 3, NULL, NULL},
    {MOD_NONE, SDLK_5, cmd_pane, 4, NULL, NULL},
    {MOD_NONE, SDLK_6, cmd_pane, 5, NULL, NULL},
    {MOD_NONE, SDLK_7, cmd_pane, 6, NULL, NULL},
    {MOD_NONE, SDLK_8, cmd_pane, 7, NULL, NULL},
    {MOD_NONE, SDLK_9, cmd_pane, 8, NULL, NULL},
    {MOD_NONE, SDLK_t, cmd_axis, 0, "T", "time axis / ticks axis (Beazley's)"},
    {MOD_NONE, SDLK_c, cmd_clear, 0, "C", "clear the selection and the pinned interval"},
    {MOD_NONE, SDLK_l, cmd_theme, 0, "L", "light / dark theme"},
    {MOD_NONE, SDLK_e, cmd_export, 0, "E", "write the view as PNG (TRACE-view-N.png, here)"},
    {MOD_SHIFT, SDLK_SLASH, cmd_help, 0, "?", "show / hide this help"},
    {MOD_ANY, SDLK_QUESTION, cmd_help, 0, NULL, NULL},
    {MOD_NONE, SDLK_q, cmd_quit, 0, "Q / Esc", "quit (Esc first closes this help)"},
    {MOD_NONE, SDLK_ESCAPE, cmd_quit, 1, NULL, NULL},
};

static const char *const mouse_help[][2] = {
    {"wheel", "zoom in / out at the pointer"},
    {"drag", "pan"},
    {"shift-drag", "select a time range: its statistics per lane"},
    {"hover", "describe the interval under the pointer"},
    {"click", "pin that description (click again: unpin)"},
};

/* ---- the view -------------------------------------------------------------------------- */

static void viewer_message(Viewer *vw, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void viewer_message(Viewer *vw, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(vw->msg, sizeof vw->msg, fmt, ap);
    va_end(ap);
    vw->msg_until = SDL_GetTicks() + MESSAGE_MS;
    vw->dirty = true;
}

/* The extent of all panes, the limits of zoom and pan (the same whichever
 * panes are shown, so that hiding one never moves the view). */
static void viewer_refit_extent(Viewer *vw)
{
    DrawView tmp = vw->v;
    tmp.pane_shown = NULL;
    draw_view_fit(&tmp, vw->m);
    vw->fit_x0 = tmp.x0;
    vw->fit_x1 = tmp.x1 > tmp.x0 ? tmp.x1 : tmp.x0 + 1;
}

/* Sets the x range, kept within limits: not narrower than the deepest
 * zoom, not wider than 1.5 fits, and at least half of it over the data. */
static void viewer_set_range(Viewer *vw, double x0, double x1)
{
    double full = vw->fit_x1 - vw->fit_x0;
    double minw = vw->v.axis == DRAW_AXIS_TIME ? MIN_WIDTH_NS : MIN_WIDTH_TICKS;
    double maxw = full * 1.5;
    if (minw > maxw)
        minw = maxw;
    double w = x1 - x0;
    if (!(w >= minw) || w > maxw) {
        double c = (x0 + x1) / 2;
        w = !(w >= minw) ? minw : maxw;
        x0 = c - w / 2;
    }
    double lo = vw->fit_x0 - w / 2, hi = vw->fit_x1 - w / 2;
    if (x0 < lo)
        x0 = lo;
    if (x0 > hi)
        x0 = hi;
    x1 = x0 + w;
    if (x0 != vw->v.x0 || x1 != vw->v.x1) {
        vw->v.x0 = x0;
        vw->v.x1 = x1;
        vw->dirty = true;
    }
}

/* Zooms by ZOOM_STEP^steps keeping axis position x_at where it is. */
static void viewer_zoom_at(Viewer *vw, double x_at, double steps)
{
    double f = pow(ZOOM_STEP, steps);
    viewer_set_range(vw, x_at - (x_at - vw->v.x0) * f, x_at + (vw->v.x1 - x_at) * f);
}

/* Axis units per logical pixel in the plot area. */
static double viewer_units_per_px(const Viewer *vw)
{
    DrawLayout lay;
    draw_layout(vw->m, &vw->v, &lay);
    double pw = lay.plot_x1 - lay.plot_x0;
    return (vw->v.x1 - vw->v.x0) / (pw > 1 ? pw : 1);
}

static void viewer_clear_hover(Viewer *vw)
{
    if (vw->v.hover.pane >= 0) {
        vw->v.hover.pane = -1;
        vw->dirty = true;
    }
}

/* What is under the pointer: an interval, or none (pane -1). */
static DrawRef viewer_hit(const Viewer *vw, double px, double py)
{
    DrawRef ref = {.pane = -1, .lane = -1, .interval = -1};
    uint64_t ns;
    if (px < 0 || !draw_hit(vw->m, &vw->v, px, py, &ref, &ns) || ref.interval < 0)
        ref.pane = -1;
    return ref;
}

static bool ref_eq(DrawRef a, DrawRef b)
{
    if (a.pane < 0 || b.pane < 0)
        return a.pane < 0 && b.pane < 0;
    return a.pane == b.pane && a.lane == b.lane && a.interval == b.interval;
}

static void viewer_hover(Viewer *vw)
{
    DrawRef ref = viewer_hit(vw, vw->mx, vw->my);
    if (!ref_eq(ref, vw->v.hover) || ref.pane >= 0)
        vw->dirty = true;
    vw->v.hover = ref;
    vw->v.hover_px = vw->mx;
    vw->v.hover_py = vw->my;
}

static void cmd_zoom(Viewer *vw, int arg)
{
    viewer_zoom_at(vw, (vw->v.x0 + vw->v.x1) / 2, arg);
}

static void cmd_pan(Viewer *vw, int arg)
{
    double d = (vw->v.x1 - vw->v.x0) * PAN_STEP * arg;
    viewer_set_range(vw, vw->v.x0 + d, vw->v.x1 + d);
}

static void cmd_fit(Viewer *vw, int arg)
{
    (void)arg;
    DrawView tmp = vw->v;
    draw_view_fit(&tmp, vw->m);
    viewer_refit_extent(vw);
    viewer_set_range(vw, tmp.x0, tmp.x1);
}

/* Axis position x of the first visible pane converted to the other axis. */
static double convert_x(const Viewer *vw, const DrawView *to, int pane, double x)
{
    return draw_ns_to_x(vw->m, to, pane, draw_x_to_ns(vw->m, &vw->v, pane, x < 0 ? 0 : x));
}

static void cmd_axis(Viewer *vw, int arg)
{
    (void)arg;
    int pane = 0;
    while ((size_t)pane < vw->m->npanes && !vw->pane_shown[pane])
        pane++;
    if ((size_t)pane == vw->m->npanes)
        return;
    DrawView to = vw->v;
    to.axis = vw->v.axis == DRAW_AXIS_TIME ? DRAW_AXIS_TICKS : DRAW_AXIS_TIME;
    double x0 = convert_x(vw, &to, pane, vw->v.x0), x1 = convert_x(vw, &to, pane, vw->v.x1);
    if (vw->v.has_sel) {
        to.sel0 = convert_x(vw, &to, pane, vw->v.sel0);
        to.sel1 = convert_x(vw, &to, pane, vw->v.sel1);
        if (!(to.sel1 > to.sel0))
            to.has_sel = false;
    }
    vw->v = to;
    viewer_refit_extent(vw);
    vw->v.x0 = vw->v.x1 = 0;
    viewer_set_range(vw, x0, x1 > x0 ? x1 : x0 + 1);
    vw->dirty = true;
    viewer_message(vw, "x axis: %s", vw->v.axis == DRAW_AXIS_TIME ? "time" : "ticks (all threads' bytecode ticks)");
}

static void cmd_pane(Viewer *vw, int arg)
{
    if ((size_t)arg >= vw->m->npanes) {
        viewer_message(vw, "there is no pane %d (%zu loaded)", arg + 1, vw->m->npanes);
        return;
    }
    size_t shown = 0;
    for (size_t i = 0; i < vw->m->npanes; i++)
        shown += vw->pane_shown[i];
    if (vw->pane_shown[arg] && shown == 1) {
        viewer_message(vw, "pane %d is the only one shown", arg + 1);
        return;
    }
    vw->pane_shown[arg] = !vw->pane_shown[arg];
    if (vw->v.hover.pane == arg)
        vw->v.hover.pane = -1;
    if (vw->v.pinned.pane == arg)
        vw->v.pinned.pane = -1;
    vw->dirty = true;
    viewer_message(vw, "pane %d (%s): %s", arg + 1, vw->m->panes[arg].label,
                   vw->pane_shown[arg] ? "shown" : "hidden");
}

static void cmd_clear(Viewer *vw, int arg)
{
    (void)arg;
    vw->v.has_sel = false;
    vw->v.pinned.pane = -1;
    vw->dirty = true;
}

static void cmd_theme(Viewer *vw, int arg)
{
    (void)arg;
    vw->v.theme = vw->v.theme == DRAW_THEME_LIGHT ? DRAW_THEME_DARK : DRAW_THEME_LIGHT;
    vw->dirty = true;
}

/* E: the view as it is (range, panes, axis, theme, selection, pinned
 * interval) at the window's size, without the pointer's tooltip, to the
 * first free BASE-view-N.png. */
static void cmd_export(Viewer *vw, int arg)
{
    (void)arg;
    char path[512];
    for (;;) {
        snprintf(path, sizeof path, "%s-view-%d.png", vw->export_base, ++vw->exports);
        FILE *fp = fopen(path, "rb");
        if (!fp)
            break;
        fclose(fp);
    }
    DrawView ev = vw->v;
    ev.hover.pane = -1;
    char err[400];
    if (export_write(vw->m, &ev, path, err, sizeof err) != 0) {
        fprintf(stderr, "gilscope view: %s\n", err);
        viewer_message(vw, "export failed: %s", err);
        return;
    }
    fprintf(stderr, "gilscope view: wrote %s\n", path);
    viewer_message(vw, "wrote %s", path);
}

static void cmd_help(Viewer *vw, int arg)
{
    (void)arg;
    vw->help = !vw->help;
    vw->dirty = true;
}

static void cmd_quit(Viewer *vw, int arg)
{
    if (arg && vw->help) {
        vw->help = false;
        vw->dirty = true;
        return;
    }
    vw->quit = true;
}

/* ---- events ------------------------------------------------------------------------------ */

static unsigned mods_of(SDL_Keymod km)
{
    return (km & KMOD_SHIFT ? MOD_SHIFT : 0) | (km & KMOD_CTRL ? MOD_CTRL : 0) | (km & KMOD_ALT ? MOD_ALT : 0);
}

static void viewer_key(Viewer *vw, const SDL_Keysym *ks)
{
    unsigned mods = mods_of((SDL_Keymod)ks->mod);
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
        const Binding *b = &bindings[i];
        if (b->key == ks->sym && ((b->mods & MOD_ANY) || b->mods == mods)) {
            b->cmd(vw, b->arg);
            return;
        }
    }
}

static void viewer_button_down(Viewer *vw, const SDL_MouseButtonEvent *e)
{
    if (e->button != SDL_BUTTON_LEFT)
        return;
    vw->mx = e->x;
    vw->my = e->y;
    vw->press_mx = e->x;
    vw->press_my = e->y;
    vw->press_x0 = vw->v.x0;
    vw->press_x1 = vw->v.x1;
    vw->moved = false;
    if (mods_of(SDL_GetModState()) & MOD_SHIFT) {
        vw->drag = DRAG_SELECT;
        vw->v.has_sel = true;
        vw->v.sel0 = vw->v.sel1 = draw_px_to_x(vw->m, &vw->v, e->x);
    } else {
        vw->drag = DRAG_PAN;
    }
    viewer_clear_hover(vw);
    vw->dirty = true;
}

static void viewer_motion(Viewer *vw, int x, int y)
{
    vw->mx = x;
    vw->my = y;
    if (vw->drag != DRAG_NONE && (fabs(x - vw->press_mx) > DRAG_SLOP || fabs(y - vw->press_my) > DRAG_SLOP))
        vw->moved = true;
    if (vw->drag == DRAG_PAN) {
        if (vw->moved) {
            double d = (x - vw->press_mx) * viewer_units_per_px(vw);
            viewer_set_range(vw, vw->press_x0 - d, vw->press_x1 - d);
        }
    } else if (vw->drag == DRAG_SELECT) {
        vw->v.sel1 = draw_px_to_x(vw->m, &vw->v, x);
        vw->dirty = true;
    } else {
        viewer_hover(vw);
    }
}

static void viewer_button_up(Viewer *vw, const SDL_MouseButtonEvent *e)
{
    if (e->button != SDL_BUTTON_LEFT || vw->drag == DRAG_NONE)
        return;
    viewer_motion(vw, e->x, e->y);
    DragKind kind = vw->drag;
    vw->drag = DRAG_NONE;
    if (kind == DRAG_SELECT) {
        if (vw->v.sel1 < vw->v.sel0) {
            double t = vw->v.sel0;
            vw->v.sel0 = vw->v.sel1;
            vw->v.sel1 = t;
        }
        if (!vw->moved)
            vw->v.has_sel = false;
        vw->dirty = true;
    } else if (!vw->moved) {
        DrawRef ref = viewer_hit(vw, e->x, e->y);
        vw->v.pinned = ref_eq(ref, vw->v.pinned) ? (DrawRef){.pane = -1, .lane = -1, .interval = -1} : ref;
        vw->dirty = true;
    }
    viewer_hover(vw);
}

static void viewer_wheel(Viewer *vw, const SDL_MouseWheelEvent *e)
{
    double dy = e->preciseY != 0 ? e->preciseY : e->y;
    double dx = e->preciseX != 0 ? e->preciseX : e->x;
    if (e->direction == SDL_MOUSEWHEEL_FLIPPED) {
        dy = -dy;
        dx = -dx;
    }
    if (dy != 0 && vw->mx >= 0)
        viewer_zoom_at(vw, draw_px_to_x(vw->m, &vw->v, vw->mx), dy);
    else if (dy != 0)
        cmd_zoom(vw, dy > 0 ? 1 : -1);
    if (dx != 0) {
        double d = (vw->v.x1 - vw->v.x0) * PAN_STEP * dx;
        viewer_set_range(vw, vw->v.x0 + d, vw->v.x1 + d);
    }
    if (vw->drag == DRAG_NONE)
        viewer_hover(vw);
}

/* Window size in points and drawable size in pixels -> the view. */
static void viewer_sync_size(Viewer *vw)
{
    int ww, wh, pw, ph;
    SDL_GetWindowSize(vw->win, &ww, &wh);
    if (SDL_GetRendererOutputSize(vw->ren, &pw, &ph) != 0 || pw <= 0 || ph <= 0) {
        pw = ww;
        ph = wh;
    }
    if (ww <= 0 || wh <= 0)
        return;
    if (ww != vw->win_w || wh != vw->win_h || pw != vw->v.width || ph != vw->v.height) {
        vw->win_w = ww;
        vw->win_h = wh;
        vw->v.width = pw;
        vw->v.height = ph;
        vw->v.scale = (double)pw / ww;
        vw->dirty = true;
    }
}

static void viewer_event(Viewer *vw, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT:
        vw->quit = true;
        break;
    case SDL_KEYDOWN:
        viewer_key(vw, &e->key.keysym);
        break;
    case SDL_MOUSEMOTION:
        viewer_motion(vw, e->motion.x, e->motion.y);
        break;
    case SDL_MOUSEBUTTONDOWN:
        viewer_button_down(vw, &e->button);
        break;
    case SDL_MOUSEBUTTONUP:
        viewer_button_up(vw, &e->button);
        break;
    case SDL_MOUSEWHEEL:
        viewer_wheel(vw, &e->wheel);
        break;
    case SDL_WINDOWEVENT:
        switch (e->window.event) {
        case SDL_WINDOWEVENT_SIZE_CHANGED:
        case SDL_WINDOWEVENT_RESIZED:
        case SDL_WINDOWEVENT_DISPLAY_CHANGED:
            viewer_sync_size(vw);
            break;
        case SDL_WINDOWEVENT_EXPOSED:
            vw->present = true;
            break;
        case SDL_WINDOWEVENT_LEAVE:
            vw->mx = -1;
            if (vw->drag == DRAG_NONE)
                viewer_clear_hover(vw);
            break;
        }
        break;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        vw->dirty = true;
        break;
    }
}

/* ---- drawing ------------------------------------------------------------------------------ */

/* A dark rounded box for text; x, y its top left in logical pixels. */
static void overlay_box(cairo_t *cr, double x, double y, double w, double h)
{
    double r = 8;
    cairo_save(cr);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
    cairo_set_source_rgba(cr, 0.08, 0.09, 0.11, 0.92);
    cairo_fill_preserve(cr);
    /* a light edge, so that the box stands out on the dark theme too */
    cairo_set_source_rgba(cr, 1, 1, 1, 0.35);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static PangoLayout *overlay_text(cairo_t *cr, const char *font, const char *text)
{
    PangoLayout *pl = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(pl, text, -1);
    return pl;
}

/* The key help: two columns generated from `bindings` and `mouse_help`. */
static void draw_help(const Viewer *vw, cairo_t *cr)
{
    char keys[2048] = "", what[4096] = "";
    size_t nk = 0, nw = 0;
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
        if (!bindings[i].help)
            continue;
        nk += (size_t)snprintf(keys + nk, sizeof keys - nk, "%s\n", bindings[i].keys);
        nw += (size_t)snprintf(what + nw, sizeof what - nw, "%s\n", bindings[i].help);
    }
    for (size_t i = 0; i < sizeof mouse_help / sizeof mouse_help[0]; i++) {
        nk += (size_t)snprintf(keys + nk, sizeof keys - nk, "%s%s", mouse_help[i][0],
                               i + 1 < sizeof mouse_help / sizeof mouse_help[0] ? "\n" : "");
        nw += (size_t)snprintf(what + nw, sizeof what - nw, "%s%s", mouse_help[i][1],
                               i + 1 < sizeof mouse_help / sizeof mouse_help[0] ? "\n" : "");
    }
    PangoLayout *title = overlay_text(cr, "Sans Bold 13", "gilscope view: keys and mouse");
    PangoLayout *lk = overlay_text(cr, "Sans Bold 11", keys);
    PangoLayout *lw = overlay_text(cr, "Sans 11", what);
    int tw, th, kw, kh, ww, wh;
    pango_layout_get_pixel_size(title, &tw, &th);
    pango_layout_get_pixel_size(lk, &kw, &kh);
    pango_layout_get_pixel_size(lw, &ww, &wh);
    double pad = 18, gap = 24;
    double bw = fmax(tw, kw + gap + ww) + 2 * pad, bh = th + 10 + fmax(kh, wh) + 2 * pad;
    double x = (vw->win_w - bw) / 2, y = (vw->win_h - bh) / 2;
    if (x < 4)
        x = 4;
    if (y < 4)
        y = 4;
    overlay_box(cr, x, y, bw, bh);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_move_to(cr, x + pad, y + pad);
    pango_cairo_show_layout(cr, title);
    cairo_set_source_rgb(cr, 0.55, 0.85, 1.0);
    cairo_move_to(cr, x + pad, y + pad + th + 10);
    pango_cairo_show_layout(cr, lk);
    cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
    cairo_move_to(cr, x + pad + kw + gap, y + pad + th + 10);
    pango_cairo_show_layout(cr, lw);
    cairo_restore(cr);
    g_object_unref(title);
    g_object_unref(lk);
    g_object_unref(lw);
}

static void draw_message(const Viewer *vw, cairo_t *cr)
{
    PangoLayout *pl = overlay_text(cr, "Sans 11", vw->msg);
    pango_layout_set_width(pl, (int)fmax(100, vw->win_w - 60) * PANGO_SCALE);
    pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_MIDDLE);
    int w, h;
    pango_layout_get_pixel_size(pl, &w, &h);
    double pad = 8, x = 12, y = vw->win_h - h - 2 * pad - 12;
    overlay_box(cr, x, y, w + 2 * pad, h + 2 * pad);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_move_to(cr, x + pad, y + pad);
    pango_cairo_show_layout(cr, pl);
    cairo_restore(cr);
    g_object_unref(pl);
}

/* (Re)creates the surface and texture at the drawable's size. */
static int viewer_ensure_surface(Viewer *vw)
{
    int w = vw->v.width, h = vw->v.height;
    if (vw->surf && cairo_image_surface_get_width(vw->surf) == w && cairo_image_surface_get_height(vw->surf) == h)
        return 0;
    if (vw->tex)
        SDL_DestroyTexture(vw->tex);
    if (vw->surf)
        cairo_surface_destroy(vw->surf);
    vw->tex = NULL;
    vw->surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    if (cairo_surface_status(vw->surf) != CAIRO_STATUS_SUCCESS)
        return -1;
    /* cairo's ARGB32 is a native-endian 32-bit 0xAARRGGBB, as SDL's ARGB8888 */
    vw->tex = SDL_CreateTexture(vw->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
    return vw->tex ? 0 : -1;
}

/* Draws the frame into the surface and the texture.  -1 if SDL failed. */
static int viewer_draw(Viewer *vw)
{
    if (viewer_ensure_surface(vw) != 0)
        return -1;
    cairo_t *cr = cairo_create(vw->surf);
    draw_chart(cr, vw->m, &vw->v);
    cairo_save(cr);
    cairo_scale(cr, vw->v.scale, vw->v.scale);
    if (vw->msg[0] && SDL_TICKS_PASSED(SDL_GetTicks(), vw->msg_until))
        vw->msg[0] = 0;
    if (vw->msg[0])
        draw_message(vw, cr);
    if (vw->help)
        draw_help(vw, cr);
    cairo_restore(cr);
    cairo_destroy(cr);
    cairo_surface_flush(vw->surf);
    if (SDL_UpdateTexture(vw->tex, NULL, cairo_image_surface_get_data(vw->surf),
                          cairo_image_surface_get_stride(vw->surf)) != 0)
        return -1;
    vw->dirty = false;
    vw->present = true;
    return 0;
}

/* One frame: wait up to timeout_ms for events, handle them all, redraw if
 * something changed, present.  -1 if SDL failed. */
static int loop(Viewer *vw, int timeout_ms)
{
    SDL_Event e;
    if (vw->msg[0]) {
        Uint32 now = SDL_GetTicks();
        int left = SDL_TICKS_PASSED(now, vw->msg_until) ? 0 : (int)(vw->msg_until - now);
        if (left < timeout_ms)
            timeout_ms = left;
    }
    if (SDL_WaitEventTimeout(&e, timeout_ms)) {
        viewer_event(vw, &e);
        while (!vw->quit && SDL_PollEvent(&e))
            viewer_event(vw, &e);
    }
    if (vw->msg[0] && SDL_TICKS_PASSED(SDL_GetTicks(), vw->msg_until))
        vw->dirty = true;
    if (vw->dirty && viewer_draw(vw) != 0)
        return -1;
    if (vw->present) {
        SDL_RenderClear(vw->ren);
        SDL_RenderCopy(vw->ren, vw->tex, NULL, NULL);
        SDL_RenderPresent(vw->ren);
        vw->present = false;
    }
    return 0;
}

/* The window's picture as the renderer holds it (so a screenshot also
 * checks the texture upload); NULL if the renderer cannot be read. */
static cairo_surface_t *viewer_read_back(Viewer *vw)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, vw->v.width, vw->v.height);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    cairo_surface_flush(s);
    unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    SDL_RenderClear(vw->ren);
    SDL_RenderCopy(vw->ren, vw->tex, NULL, NULL);
    if (SDL_RenderReadPixels(vw->ren, NULL, SDL_PIXELFORMAT_ARGB8888, data, stride) != 0) {
        cairo_surface_destroy(s);
        return NULL;
    }
    SDL_RenderPresent(vw->ren);
    /* the frame is opaque; some back buffers read back with alpha 0 */
    for (int y = 0; y < vw->v.height; y++) {
        uint32_t *row = (uint32_t *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < vw->v.width; x++)
            row[x] |= 0xff000000u;
    }
    cairo_surface_mark_dirty(s);
    return s;
}

/* ---- replay -------------------------------------------------------------------------------- */

static void push_motion(Viewer *vw, int x, int y, Uint32 buttons)
{
    SDL_Event e = {.motion = {.type = SDL_MOUSEMOTION, .windowID = SDL_GetWindowID(vw->win), .state = buttons,
                              .x = x, .y = y, .xrel = x - (int)vw->mx, .yrel = y - (int)vw->my}};
    SDL_PushEvent(&e);
}

static void push_button(Viewer *vw, Uint32 type, int x, int y)
{
    SDL_Event e = {.button = {.type = type, .windowID = SDL_GetWindowID(vw->win), .button = SDL_BUTTON_LEFT,
                              .state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED, .clicks = 1,
                              .x = x, .y = y}};
    SDL_PushEvent(&e);
}

static SDL_Keymod kmod_of(unsigned replay_mods)
{
    return (SDL_Keymod)((replay_mods & REPLAY_MOD_SHIFT ? KMOD_LSHIFT : 0) |
                        (replay_mods & REPLAY_MOD_CTRL ? KMOD_LCTRL : 0) |
                        (replay_mods & REPLAY_MOD_ALT ? KMOD_LALT : 0));
}

static SDL_Keycode keycode_of(int key)
{
    switch (key) {
    case REPLAY_KEY_LEFT: return SDLK_LEFT;
    case REPLAY_KEY_RIGHT: return SDLK_RIGHT;
    case REPLAY_KEY_UP: return SDLK_UP;
    case REPLAY_KEY_DOWN: return SDLK_DOWN;
    case REPLAY_KEY_HOME: return SDLK_HOME;
    case REPLAY_KEY_END: return SDLK_END;
    case REPLAY_KEY_PAGEUP: return SDLK_PAGEUP;
    case REPLAY_KEY_PAGEDOWN: return SDLK_PAGEDOWN;
    default: return (SDL_Keycode)key;   /* SDL's keycodes of ASCII keys are their characters */
    }
}

static void push_key(Viewer *vw, int key, unsigned mods)
{
    SDL_Keycode sym = keycode_of(key);
    if (key == '?')
        mods |= REPLAY_MOD_SHIFT;
    SDL_Keysym ks = {.scancode = SDL_GetScancodeFromKey(sym), .sym = sym, .mod = (Uint16)kmod_of(mods)};
    SDL_Event e = {.key = {.type = SDL_KEYDOWN, .windowID = SDL_GetWindowID(vw->win), .state = SDL_PRESSED,
                           .keysym = ks}};
    SDL_PushEvent(&e);
    e.key.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
}

/* Handles everything queued (and draws) before the next step. */
static int replay_pump(Viewer *vw)
{
    do {
        if (loop(vw, 0) != 0)
            return -1;
    } while (!vw->quit && SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0);
    return 0;
}

static int replay_run(Viewer *vw, const ReplayScript *rs)
{
    for (size_t i = 0; i < rs->nsteps && !vw->quit; i++) {
        const ReplayStep *st = &rs->steps[i];
        switch (st->kind) {
        case REPLAY_KEY:
            push_key(vw, st->key, st->mods);
            break;
        case REPLAY_WHEEL: {
            push_motion(vw, st->x, st->y, 0);
            SDL_Event e = {.wheel = {.type = SDL_MOUSEWHEEL, .windowID = SDL_GetWindowID(vw->win), .y = st->amount,
                                     .direction = SDL_MOUSEWHEEL_NORMAL, .preciseY = (float)st->amount,
                                     .mouseX = st->x, .mouseY = st->y}};
            SDL_PushEvent(&e);
            break;
        }
        case REPLAY_DRAG:
            /* the modifiers are read when the press is handled: hold them until then */
            SDL_SetModState(kmod_of(st->mods));
            push_motion(vw, st->x, st->y, 0);
            push_button(vw, SDL_MOUSEBUTTONDOWN, st->x, st->y);
            for (int k = 1; k <= 8; k++)
                push_motion(vw, st->x + (st->x2 - st->x) * k / 8, st->y + (st->y2 - st->y) * k / 8, SDL_BUTTON_LMASK);
            push_button(vw, SDL_MOUSEBUTTONUP, st->x2, st->y2);
            if (replay_pump(vw) != 0)
                return -1;
            SDL_SetModState(KMOD_NONE);
            break;
        case REPLAY_MOVE:
            push_motion(vw, st->x, st->y, 0);
            break;
        case REPLAY_CLICK:
            push_motion(vw, st->x, st->y, 0);
            push_button(vw, SDL_MOUSEBUTTONDOWN, st->x, st->y);
            push_button(vw, SDL_MOUSEBUTTONUP, st->x, st->y);
            break;
        case REPLAY_RESIZE: {
            SDL_SetWindowSize(vw->win, st->x, st->y);
            /* a window manager answers asynchronously: wait for the new size a while */
            Uint32 until = SDL_GetTicks() + 1000;
            for (;;) {
                if (loop(vw, 10) != 0)
                    return -1;
                viewer_sync_size(vw);
                if ((vw->win_w == st->x && vw->win_h == st->y) || SDL_TICKS_PASSED(SDL_GetTicks(), until))
                    break;
            }
            break;
        }
        case REPLAY_WAIT: {
            Uint32 until = SDL_GetTicks() + (Uint32)st->amount;
            while (!vw->quit && !SDL_TICKS_PASSED(SDL_GetTicks(), until))
                if (loop(vw, (int)(until - SDL_GetTicks())) != 0)
                    return -1;
            break;
        }
        }
        if (replay_pump(vw) != 0)
            return -1;
    }
    return 0;
}

/* ---- the command ---------------------------------------------------------------------------- */

static void view_usage(FILE *out)
{
    fputs("usage: gilscope view [options] A.gilt [B.gilt ...]\n"
          "\n"
          "Shows the traces in a window: one pane per run, one lane per thread\n"
          "(green running with the GIL, red waiting for it, amber blocked in a call,\n"
          "grey not running; ticks for failed wake-ups and drop requests).\n"
          "\n"
          "options:\n"
          "  --size WxH            window size in points (default 1280x720)\n"
          "  --theme light|dark    colours (default light; L toggles)\n"
          "  --axis time|ticks     x axis (default time; T toggles)\n"
          "  --offscreen           draw off-screen with SDL's offscreen driver (tests,\n"
          "                        screenshots; needs no display)\n"
          "  --replay SCRIPT       feed the keys and mouse actions in SCRIPT (below),\n"
          "                        then exit\n"
          "  --screenshot OUT.png  after the replay, write the window's picture to\n"
          "                        OUT.png and exit\n"
          "  -h, --help            show this help\n"
          "\n"
          "keys:\n",
          out);
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
        if (bindings[i].help)
            fprintf(out, "  %-20s  %s\n", bindings[i].keys, bindings[i].help);
    fputs("mouse:\n", out);
    for (size_t i = 0; i < sizeof mouse_help / sizeof mouse_help[0]; i++)
        fprintf(out, "  %-20s  %s\n", mouse_help[i][0], mouse_help[i][1]);
    fputs("\n"
          "replay scripts: one action per line; '#' starts a comment; coordinates are\n"
          "window points (0..16383), the origin top left:\n"
          "  key w                         press a key: a-z 0-9 punctuation ? esc return\n"
          "  key shift+w                   space tab backspace left right up down home end\n"
          "                                pageup pagedown, with shift+ ctrl+ alt+\n"
          "  wheel 3 at 500 400            3 wheel clicks up (zoom in; -3: out) there\n"
          "  drag 100 300 to 400 300       drag with the left button (pan)\n"
          "  shift-drag 100 300 to 400 300 the same with shift (select a range)\n"
          "  move 640 360                  move the pointer (hover)\n"
          "  click 640 360                 left click (pin)\n"
          "  resize 1280 720               resize the window\n"
          "  wait 50                       let 50 ms pass\n"
          "A bad line stops before anything is shown: 'SCRIPT:LINE: message', exit 65.\n"
          "\n"
          "Without a display (and without --offscreen) it says so and exits 69.\n",
          out);
}

/* Reads a whole file; NULL with errno set. */
static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, fp);
        if (n < cap)
            break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf && ferror(fp)) {
        int err = errno;
        free(buf);
        buf = NULL;
        errno = err;
    }
    fclose(fp);
    *len = n;
    return buf;
}

typedef struct ViewOptions {
    int width, height;
    DrawTheme theme;
    DrawAxis axis;
    bool offscreen;
    const char *replay, *screenshot;
    const char **paths;
    size_t npaths;
} ViewOptions;

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X'))
        return -1;
    const char *s2 = end + 1;
    long b = strtol(s2, &end, 10);
    if (end == s2 || *end || a < 200 || b < 150 || a > 16384 || b > 16384)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

/* 0, EX_OK + 1000 for --help, or an exit status. */
static int parse_args(int argc, char **argv, ViewOptions *o)
{
    *o = (ViewOptions){.width = DEFAULT_W, .height = DEFAULT_H, .theme = DRAW_THEME_LIGHT, .axis = DRAW_AXIS_TIME};
    o->paths = calloc((size_t)argc, sizeof *o->paths);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            view_usage(stdout);
            return 1000;
        } else if (strcmp(a, "--offscreen") == 0) {
            o->offscreen = true;
        } else if (strcmp(a, "--size") == 0 || strcmp(a, "--theme") == 0 || strcmp(a, "--axis") == 0 ||
                   strcmp(a, "--replay") == 0 || strcmp(a, "--screenshot") == 0) {
            if (!val) {
                fprintf(stderr, "gilscope view: %s needs a value (see gilscope view --help)\n", a);
                return EX_USAGE;
            }
            i++;
            if (strcmp(a, "--size") == 0) {
                if (parse_size(val, &o->width, &o->height) != 0) {
                    fprintf(stderr, "gilscope view: --size takes WxH from 200x150 to 16384x16384, not '%s'\n", val);
                    return EX_USAGE;
                }
            } else if (strcmp(a, "--theme") == 0) {
                if (strcmp(val, "light") != 0 && strcmp(val, "dark") != 0) {
                    fprintf(stderr, "gilscope view: --theme takes light or dark, not '%s'\n", val);
                    return EX_USAGE;
                }
                o->theme = val[0] == 'd' ? DRAW_THEME_DARK : DRAW_THEME_LIGHT;
            } else if (strcmp(a, "--axis") == 0) {
                if (strcmp(val, "time") != 0 && strcmp(val, "ticks") != 0) {
                    fprintf(stderr, "gilscope view: --axis takes time or ticks, not '%s'\n", val);
                    return EX_USAGE;
                }
                o->axis = val[1] == 'i' && val[2] == 'c' ? DRAW_AXIS_TICKS : DRAW_AXIS_TIME;
            } else if (strcmp(a, "--replay") == 0) {
                o->replay = val;
            } else {
                o->screenshot = val;
            }
        } else if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                o->paths[o->npaths++] = argv[i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "gilscope view: unknown option '%s' (see gilscope view --help)\n", a);
            return EX_USAGE;
        } else {
            o->paths[o->npaths++] = a;
        }
    }
    if (o->npaths == 0) {
        fprintf(stderr, "gilscope view: no trace given (usage: gilscope view [options] A.gilt [B.gilt ...])\n");
        return EX_USAGE;
    }
    return 0;
}

/* "runs/countdown.gilt" -> "countdown" (E's file names). */
static char *export_base_of(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 5 && strcmp(b + n - 5, ".gilt") == 0)
        n -= 5;
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, b, n);
        out[n] = 0;
    }
    return out;
}

/* SDL up, and a real display unless off-screen was asked for. */
static int open_video(bool offscreen)
{
    if (offscreen) {
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
        /* the window's pixels in plain memory, not in an OpenGL texture that
         * Mesa's software rasteriser would draw (half the frame time) */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    } else if (!getenv("SDL_VIDEODRIVER") && !getenv("WAYLAND_DISPLAY") && !getenv("XDG_RUNTIME_DIR")) {
        /* libwayland would print an error of its own when it cannot work
         * anyway: try every driver but that one, in SDL's order */
        char list[256] = "";
        size_t n = 0;
        for (int i = 0; i < SDL_GetNumVideoDrivers() && n < sizeof list; i++) {
            const char *d = SDL_GetVideoDriver(i);
            if (strcmp(d, "wayland") != 0)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? "," : "", d);
        }
        if (n && n < sizeof list)
            SDL_SetHint(SDL_HINT_VIDEODRIVER, list);
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        if (offscreen) {
            fprintf(stderr, "gilscope view: SDL: %s\n", SDL_GetError());
            return EX_SOFTWARE;
        }
        fprintf(stderr, "gilscope view: no display found (set DISPLAY, or use --screenshot with --offscreen)\n");
        return EX_UNAVAILABLE;
    }
    const char *drv = SDL_GetCurrentVideoDriver();
    if (!offscreen && (!drv || strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0)) {
        SDL_Quit();
        fprintf(stderr, "gilscope view: no display found (set DISPLAY, or use --screenshot with --offscreen)\n");
        return EX_UNAVAILABLE;
    }
    return 0;
}

static int viewer_open_window(Viewer *vw, const ViewOptions *o)
{
    char title[300];
    snprintf(title, sizeof title, "gilscope view: %s%s", o->paths[0], o->npaths > 1 ? " ..." : "");
    vw->win = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, o->width, o->height,
                               SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!vw->win)
        return -1;
    /* off-screen, an OpenGL renderer would be Mesa's software rasteriser */
    vw->ren = SDL_CreateRenderer(vw->win, -1, o->offscreen ? SDL_RENDERER_SOFTWARE : 0);
    if (!vw->ren)
        vw->ren = SDL_CreateRenderer(vw->win, -1, SDL_RENDERER_SOFTWARE);
    if (!vw->ren)
        return -1;
    SDL_StopTextInput(); /* keys only: no input method */
    viewer_sync_size(vw);
    return 0;
}

static void viewer_close(Viewer *vw)
{
    if (vw->tex)
        SDL_DestroyTexture(vw->tex);
    if (vw->surf)
        cairo_surface_destroy(vw->surf);
    if (vw->ren)
        SDL_DestroyRenderer(vw->ren);
    if (vw->win)
        SDL_DestroyWindow(vw->win);
}

int view_main(int argc, char **argv)
{
    ViewOptions o;
    int status = parse_args(argc, argv, &o);
    if (status) {
        free(o.paths);
        return status == 1000 ? EX_OK : status;
    }
    ReplayScript rs = {0};
    if (o.replay) {
        size_t len;
        char *buf = read_all(o.replay, &len);
        if (!buf) {
            fprintf(stderr, "gilscope view: cannot read '%s': %s\n", o.replay, strerror(errno));
            free(o.paths);
            return EX_IOERR;
        }
        char err[300];
        int rc = replay_parse(buf, len, &rs, err, sizeof err);
        free(buf);
        if (rc != 0) {
            fprintf(stderr, "%s:%s\n", o.replay, err);
            free(o.paths);
            return EX_DATAERR;
        }
    }
    /* a missing display is found before a long trace is loaded */
    status = open_video(o.offscreen);
    if (status) {
        replay_free(&rs);
        free(o.paths);
        return status;
    }
    Viewer vw = {.mx = -1, .my = -1};
    char err[400];
    ModelStatus ms = model_load(o.paths, o.npaths, &vw.m, err, sizeof err);
    if (ms != MODEL_OK) {
        fprintf(stderr, "gilscope view: %s\n", err);
        status = ms == MODEL_EIO ? EX_IOERR : EX_DATAERR;
        goto out;
    }
    for (size_t i = 0; i < vw.m->nnotes; i++)
        fprintf(stderr, "gilscope view: note: %s\n", vw.m->notes[i]);
    vw.pane_shown = malloc((vw.m->npanes ? vw.m->npanes : 1) * sizeof *vw.pane_shown);
    char *base = export_base_of(o.paths[0]);
    if (!vw.pane_shown || !base) {
        free(base);
        fprintf(stderr, "gilscope view: out of memory\n");
        status = EX_SOFTWARE;
        goto out;
    }
    vw.export_base = base;
    for (size_t i = 0; i < vw.m->npanes; i++)
        vw.pane_shown[i] = true;
    draw_view_init(&vw.v, vw.m);
    vw.v.pane_shown = vw.pane_shown;
    vw.v.axis = o.axis;
    vw.v.theme = o.theme;
    vw.v.parts = DRAW_ALL;
    vw.v.hover.pane = vw.v.pinned.pane = -1;
    /* Text shaped once and kept: most of a frame's strings repeat. */
    vw.v.cache = draw_cache_new();
    if (vw.v.cache)
        draw_cache_warm(vw.v.cache);
    if (viewer_open_window(&vw, &o) != 0) {
        fprintf(stderr, "gilscope view: SDL: %s\n", SDL_GetError());
        status = EX_SOFTWARE;
        goto out;
    }
    cmd_fit(&vw, 0);
    vw.dirty = true;
    if (loop(&vw, 0) != 0 || (o.replay && replay_run(&vw, &rs) != 0)) {
        fprintf(stderr, "gilscope view: SDL: %s\n", SDL_GetError());
        status = EX_SOFTWARE;
        goto out;
    }
    bool headless = o.offscreen || o.screenshot || o.replay;
    while (!headless && !vw.quit) {
        if (loop(&vw, 60000) != 0) {
            fprintf(stderr, "gilscope view: SDL: %s\n", SDL_GetError());
            status = EX_SOFTWARE;
            goto out;
        }
    }
    if (o.screenshot) {
        if (vw.dirty && viewer_draw(&vw) != 0) {
            fprintf(stderr, "gilscope view: SDL: %s\n", SDL_GetError());
            status = EX_SOFTWARE;
            goto out;
        }
        cairo_surface_t *shot = viewer_read_back(&vw);
        cairo_status_t cs = cairo_surface_write_to_png(shot ? shot : vw.surf, o.screenshot);
        if (shot)
            cairo_surface_destroy(shot);
        if (cs != CAIRO_STATUS_SUCCESS) {
            fprintf(stderr, "gilscope view: cannot write '%s': %s\n", o.screenshot, cairo_status_to_string(cs));
            status = EX_IOERR;
            goto out;
        }
    }
    status = EX_OK;
out:
    viewer_close(&vw);
    free((char *)vw.export_base);
    free(vw.pane_shown);
    draw_cache_free(vw.v.cache);
    if (vw.m)
        model_free(vw.m);
    SDL_Quit();
    replay_free(&rs);
    free(o.paths);
    return status;
}
