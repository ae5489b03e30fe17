#!/usr/bin/env python3
"""run_viewer_tests.py -- `gilscope view` headless: replay scripts of keys and
mouse actions (--replay), screenshots (--screenshot) whose pixels are checked.

    python3 tests/run_viewer_tests.py --gilscope ./gilscope [-v]

Makes two small traces of known shape with `gilscope synth` (fixed seeds:
2 and 3 worker threads) and a real one with `gilscope run` (countdown in 2
threads), then, off-screen (SDL's offscreen driver):
  - F fits all: the lanes' bands show green (running) and red (waiting);
  - wheel-zooming deep into a running (waiting) interval leaves its lane's
    band all green (all red) across the plot;
  - W W S S comes back to the fitted view; A D too; a drag pans the bands
    by the distance dragged;
  - shift-drag shades the range and shows its statistics panel (pixels
    change outside the selected columns too);
  - hover shows a tooltip that goes away with the pointer, click pins it,
    a second click unpins; ? shows the help and ? or Esc hides it;
  - T changes the axis, L the theme, 1-9 hide and show panes, E writes a
    PNG and says where, resize and --size change the picture's size;
  - bad replay lines exit 65 with "FILE:LINE: ...", usage errors 64,
    unreadable files 74;
  - with no display and no --offscreen: exit 69 and one line;
  - under `xvfb-run -a` (a real X window): fit and zoom, checked the same
    way (skipped with a note when xvfb-run is missing).
Screenshots are decoded with libcairo through ctypes when it loads, else
with a small pure-Python PNG reader (zlib).  Ends with 'N passed, N failed'.
"""
import argparse
import ctypes
import ctypes.util
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

WIDTH, HEIGHT = 1000, 560
NO_DISPLAY = "gilscope view: no display found (set DISPLAY, or use --screenshot with --offscreen)"

# ---- PNG ---------------------------------------------------------------------------


class Image:
    """An RGB picture: px(x, y) -> (r, g, b)."""

    def __init__(self, w, h, rgb):
        self.w, self.h, self.rgb = w, h, rgb  # rgb: bytes, 3 per pixel

    def px(self, x, y):
        i = (y * self.w + x) * 3
        return self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]

    def row(self, y):
        return [self.px(x, y) for x in range(self.w)]


_cairo = None


def _load_cairo():
    global _cairo
    if _cairo is None:
        _cairo = False
        name = ctypes.util.find_library("cairo") or "libcairo.so.2"
        try:
            lib = ctypes.CDLL(name)
            lib.cairo_image_surface_create_from_png.restype = ctypes.c_void_p
            lib.cairo_image_surface_create_from_png.argtypes = [ctypes.c_char_p]
            for f in ("width", "height", "stride"):
                fn = getattr(lib, "cairo_image_surface_get_" + f)
                fn.restype = ctypes.c_int
                fn.argtypes = [ctypes.c_void_p]
            lib.cairo_image_surface_get_data.restype = ctypes.c_void_p
            lib.cairo_image_surface_get_data.argtypes = [ctypes.c_void_p]
            lib.cairo_surface_status.restype = ctypes.c_int
            lib.cairo_surface_status.argtypes = [ctypes.c_void_p]
            lib.cairo_surface_destroy.argtypes = [ctypes.c_void_p]
            _cairo = lib
        except OSError:
            pass
    return _cairo


def _read_png_cairo(lib, path):
    s = lib.cairo_image_surface_create_from_png(path.encode())
    try:
        if lib.cairo_surface_status(s) != 0:
            raise ValueError("%s: not a PNG cairo can read" % path)
        w, h = lib.cairo_image_surface_get_width(s), lib.cairo_image_surface_get_height(s)
        stride = lib.cairo_image_surface_get_stride(s)
        raw = ctypes.string_at(lib.cairo_image_surface_get_data(s), stride * h)
    finally:
        lib.cairo_surface_destroy(s)
    rgb = bytearray(w * h * 3)
    little = sys.byteorder == "little"
    for y in range(h):
        line = raw[y * stride:y * stride + w * 4]
        # ARGB32 native endian: B G R A in memory on little-endian machines
        if little:
            rgb[y * w * 3 + 0:(y + 1) * w * 3:3] = line[2::4]
            rgb[y * w * 3 + 1:(y + 1) * w * 3:3] = line[1::4]
            rgb[y * w * 3 + 2:(y + 1) * w * 3:3] = line[0::4]
        else:
            rgb[y * w * 3 + 0:(y + 1) * w * 3:3] = line[1::4]
            rgb[y * w * 3 + 1:(y + 1) * w * 3:3] = line[2::4]
            rgb[y * w * 3 + 2:(y + 1) * w * 3:3] = line[3::4]
    return Image(w, h, bytes(rgb))


def _read_png_python(path):
    """8-bit RGB or RGBA, not interlaced (what cairo writes)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s: not a PNG" % path)
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError("%s: unsupported PNG (depth %d, colour type %d)" % (path, depth, ctype))
            bpp = 4 if ctype == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rgb = bytearray()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        for x in range(w):
            rgb += line[x * bpp:x * bpp + 3]
        prev = line
    return Image(w, h, bytes(rgb))


def read_png(path):
    lib = _load_cairo()
    return _read_png_cairo(lib, path) if lib else _read_png_python(path)


# ---- colours and bands --------------------------------------------------------------


def colour(p):
    """The legend's state colours, loosely: green running, red waiting, amber blocked."""
    r, g, b = p
    if g >= 100 and g > r + 40 and g > b + 20:
        return "green"
    if r >= 150 and g < 110 and b < 110:
        return "red"
    if r >= 180 and 110 <= g <= 215 and b < 110:
        return "amber"
    return None


def bands(img):
    """Lanes' bands: runs of rows mostly in state colours -> [(y0, y1, x0, x1)]."""
    out, start = [], None
    for y in range(img.h + 1):
        xs = []
        if y < img.h:
            xs = [x for x in range(0, img.w, 2) if colour(img.px(x, y))]
        if len(xs) * 2 >= img.w * 0.25:
            if start is None:
                start, x0, x1 = y, xs[0], xs[-1]
            x0, x1 = min(x0, xs[0]), max(x1, xs[-1])
        elif start is not None:
            if y - start >= 3:
                out.append((start, y - 1, x0, x1))
            start = None
    return out


def runs(img, ys, x0, x1, want):
    """Runs of columns all `want` in the rows ys, within [x0, x1] -> [(a, b)].
    (A zoomed-out column shows the mix of states it covers, stacked: one
    row alone may be `want` where the column is not all of it.)"""
    out, a = [], None
    for x in range(x0, x1 + 2):
        c = want if x <= x1 and all(colour(img.px(x, y)) == want for y in ys) else None
        if c == want and a is None:
            a = x
        elif c != want and a is not None:
            out.append((a, x - 1))
            a = None
    return out


def share(img, y, x0, x1, want):
    n = sum(1 for x in range(x0, x1 + 1) if colour(img.px(x, y)) == want)
    return n / max(1, x1 - x0 + 1)


def diff_count(a, b, x0=0, x1=None, y0=0, y1=None):
    """Pixels that differ (more than a little) in a box."""
    x1 = a.w - 1 if x1 is None else x1
    y1 = a.h - 1 if y1 is None else y1
    n = 0
    for y in range(y0, y1 + 1):
        for x in range(x0, x1 + 1):
            p, q = a.px(x, y), b.px(x, y)
            if abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]) > 24:
                n += 1
    return n


def same_picture(a, b, tolerance=0.002, skip_bottom=0):
    """The same but for a few pixels; skip_bottom rows at the bottom (where
    the viewer's messages go) are not compared."""
    if (a.w, a.h) != (b.w, b.h):
        return False
    return diff_count(a, b, y1=a.h - 1 - skip_bottom) <= a.w * a.h * tolerance


# ---- running the viewer -------------------------------------------------------------


class Runner:
    def __init__(self, gilscope, viewer, tmp, verbose):
        self.gilscope, self.viewer, self.tmp, self.verbose = gilscope, viewer, tmp, verbose
        self.passed = self.failed = 0
        self.n = 0
        self.tsan_supp = os.path.join(tmp, "tsan.supp")
        with open(self.tsan_supp, "w") as f:
            f.write("race:libfontconfig.so\nrace:libglib-2.0.so\nrace:libpango-1.0.so\n"
                    "race:libpangoft2-1.0.so\nrace:libharfbuzz.so\ncalled_from_lib:libfontconfig.so\n"
                    "race:swrast_dri.so\nrace:libGLX_mesa.so\nrace:libgallium\nrace:libLLVM\n")

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            if self.verbose:
                print("ok   " + name, flush=True)
        else:
            self.failed += 1
            print("FAIL " + name + (": " + detail if detail else ""), flush=True)
        return ok

    def view(self, traces, script=None, shot=True, extra=(), env=None, cwd=None, offscreen=True, wrap=()):
        """Runs `gilscope view`; returns (rc, stderr, Image or None)."""
        self.n += 1
        args = list(wrap) + [self.viewer, "view"] + (["--offscreen"] if offscreen else [])
        args += ["--size", "%dx%d" % (WIDTH, HEIGHT)] + list(extra)
        if script is not None:
            path = os.path.join(self.tmp, "script%d.txt" % self.n)
            with open(path, "w") as f:
                f.write(script)
            args += ["--replay", path]
        out = None
        if shot:
            out = os.path.join(self.tmp, "shot%d.png" % self.n)
            args += ["--screenshot", out]
        args += traces
        env = dict(os.environ if env is None else env)
        # under SANITIZER=address: fontconfig and the X libraries keep caches for good
        env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
        # under SANITIZER=thread: pango starts fontconfig on a thread of its own,
        # and neither library is instrumented
        env.setdefault("TSAN_OPTIONS", "suppressions=" + self.tsan_supp)
        p = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
        img = None
        if out and p.returncode == 0 and os.path.exists(out):
            img = read_png(out)
        if self.verbose and p.returncode != 0:
            print("     %s -> %d: %s" % (" ".join(args), p.returncode, p.stderr.strip()), flush=True)
        return p.returncode, p.stderr, img


def make_traces(r):
    """Two synthetic traces whose intervals are known (fixed seeds): 2 and 3
    worker threads under newgil; and one real run of countdown in 2 threads."""
    traces = []
    for name, args in (("two.gilt", ["--events", "300", "--threads", "2", "--seed", "7"]),
                       ("three.gilt", ["--events", "400", "--threads", "3", "--seed", "8"])):
        out = os.path.join(r.tmp, name)
        p = subprocess.run([r.gilscope, "synth"] + args + ["-o", out], capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            print("FAIL making a trace: gilscope synth %s exited %d: %s" % (" ".join(args), p.returncode, p.stderr),
                  flush=True)
            return None
        traces.append(out)
    wl = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "workloads", "countdown.py")
    out = os.path.join(r.tmp, "countdown.gilt")
    p = subprocess.run([r.gilscope, "run", "-q", "-o", out, wl, "5000000", "2"], capture_output=True, text=True,
                       timeout=300)
    if p.returncode != 0:
        print("FAIL making a trace: gilscope run countdown.py exited %d: %s" % (p.returncode, p.stderr), flush=True)
        return None
    traces.append(out)
    return traces


def fit_checks(r, trace, label, **kw):
    """F: green and red bands; zooming into the widest green (red) run of a
    worker lane leaves the band all green (red).  Returns the fitted picture."""
    rc, err, fit = r.view([trace], "key f\n", **kw)
    if not r.check("%s: F fits (exit 0, a picture)" % label, rc == 0 and fit, "exit %d %s" % (rc, err.strip())):
        return None
    bs = bands(fit)
    if not r.check("%s: F shows at least 3 lanes' bands" % label, len(bs) >= 3, "bands %s" % bs):
        return fit
    colours = {}
    for (y0, y1, x0, x1) in bs:
        ym = (y0 + y1) // 2
        for x in range(x0, x1 + 1):
            c = colour(fit.px(x, ym))
            colours[c] = colours.get(c, 0) + 1
    total = sum(colours.values())
    r.check("%s: F: the bands show green (running)" % label, colours.get("green", 0) > total * 0.05, str(colours))
    r.check("%s: F: the bands show red (waiting)" % label, colours.get("red", 0) > total * 0.02, str(colours))
    for want in ("green", "red"):
        best = None
        for (y0, y1, x0, x1) in bs:
            ym = (y0 + y1) // 2
            for a, b in runs(fit, range(y0 + 2, y1 - 1), x0, x1, want):
                if best is None or b - a > best[1] - best[0]:
                    best = (a, b, ym, x0, x1)
        if not r.check("%s: F: a %s run of 5 px or more" % (label, want), best and best[1] - best[0] >= 4, str(best)):
            continue
        a, b, ym, x0, x1 = best
        xm = (a + b) // 2
        rc, err, z = r.view([trace], "key f\nwheel 30 at %d %d\nmove 0 0\n" % (xm, ym), **kw)
        if r.check("%s: wheel zoom into a %s interval (exit 0)" % (label, want), rc == 0 and z, err.strip()):
            s = share(z, ym, x0 + 2, x1 - 2, want)
            r.check("%s: zoomed into a %s interval: the band is all %s" % (label, want, want), s >= 0.97,
                    "%.1f%% %s along y=%d" % (100 * s, want, ym))
    return fit


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gilscope", default="./gilscope")
    ap.add_argument("--viewer", help="the binary that runs 'view' (default: --gilscope)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    gilscope = os.path.abspath(a.gilscope)
    viewer = os.path.abspath(a.viewer or a.gilscope)
    tmp = tempfile.mkdtemp(prefix="gilscope-viewer-")
    r = Runner(gilscope, viewer, tmp, a.verbose)
    try:
        run_all(r)
    finally:
        if r.failed == 0:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("note: pictures and scripts kept in %s" % tmp, flush=True)
    print("%d passed, %d failed" % (r.passed, r.failed), flush=True)
    return 1 if r.failed else 0


def run_all(r):
    traces = make_traces(r)
    if not traces:
        r.failed += 1
        return
    trace, three, real = traces
    rc, err, img = r.view([real], "key f\n")
    r.check("a real run (countdown, 2 threads): 3 lanes, green in them",
            rc == 0 and img and len(bands(img)) >= 3 and
            any(colour(img.px(x, y)) == "green" for (y0, y1, x0, x1) in bands(img)[1:]
                for y in (y0 + 2, (y0 + y1) // 2) for x in range(x0, x1 + 1)),
            "exit %d %s" % (rc, err.strip()))
    fit = fit_checks(r, trace, "offscreen")
    if fit is None:
        return
    bs = bands(fit)
    y0, y1, x0, x1 = bs[-1]
    ym = (y0 + y1) // 2

    # W/S and A/D come back to where they started; a drag moves the bands by its length.
    rc, _, img = r.view([trace], "key f\nkey w\nkey w\nkey w\n")
    r.check("W zooms in (the picture changes)", rc == 0 and img and not same_picture(img, fit))
    rc, _, img = r.view([trace], "key f\nkey w\nkey w\nkey s\nkey s\n")
    r.check("W W S S gives back the fitted picture", rc == 0 and img and same_picture(img, fit))
    rc, _, zoomed = r.view([trace], "key f\nkey w\nkey w\nkey w\n")
    rc2, _, img = r.view([trace], "key f\nkey w\nkey w\nkey w\nkey d\nkey d\nkey a\nkey a\n")
    r.check("D D A A gives back the same picture", rc2 == 0 and img and zoomed and same_picture(img, zoomed))
    rc, _, img = r.view([trace], "key f\nkey w\nkey w\nkey w\nkey shift+d\n")
    r.check("shift+D pans (the picture changes)", rc == 0 and img and zoomed and not same_picture(img, zoomed))
    if zoomed:
        rc, _, img = r.view([trace], "key f\nkey w\nkey w\nkey w\ndrag 500 %d to 600 %d\nmove 0 0\n" % (ym, ym))
        if r.check("drag pans (exit 0)", rc == 0 and img):
            same = total = 0
            for x in range(x0 + 100, x1 - 2):
                c = colour(zoomed.px(x - 100, ym))
                if c:
                    total += 1
                    same += colour(img.px(x, ym)) == c
            r.check("drag right by 100 px moves the band right by 100 px", total > 100 and same >= total * 0.95,
                    "%d of %d columns match" % (same, total))

    # Shift-drag: the range is shaded and a statistics panel appears.
    rc, _, sel = r.view([trace], "key f\nshift-drag 300 %d to 600 %d\nmove 0 0\n" % (ym, ym))
    if r.check("shift-drag selects (exit 0)", rc == 0 and sel):
        inside = diff_count(fit, sel, 305, 595, y0, y1)
        outside = diff_count(fit, sel, 0, 280) + diff_count(fit, sel, 620, fit.w - 1)
        r.check("shift-drag shades the selected range", inside > 100, "%d pixels changed inside" % inside)
        r.check("shift-drag shows the statistics panel (pixels change outside the range)", outside > 500,
                "%d pixels changed outside" % outside)
        rc, _, img = r.view([trace], "key f\nshift-drag 300 %d to 600 %d\nkey c\nmove 0 0\n" % (ym, ym))
        r.check("C clears the selection", rc == 0 and img and same_picture(img, fit))

    # Hover and click.
    hx = (x0 + x1) // 2
    rc, _, img = r.view([trace], "key f\nmove %d %d\n" % (hx, ym))
    r.check("hover over a lane shows a tooltip", rc == 0 and img and diff_count(fit, img) > 300)
    rc, _, img = r.view([trace], "key f\nmove %d %d\nmove 0 0\n" % (hx, ym))
    r.check("the tooltip goes when the pointer leaves", rc == 0 and img and same_picture(img, fit))
    rc, _, img = r.view([trace], "key f\nclick %d %d\nmove 0 0\n" % (hx, ym))
    r.check("click pins the interval's description", rc == 0 and img and diff_count(fit, img) > 300)
    rc, _, img = r.view([trace], "key f\nclick %d %d\nclick %d %d\nmove 0 0\n" % (hx, ym, hx, ym))
    r.check("a second click unpins it", rc == 0 and img and same_picture(img, fit))

    # Help, axis, theme.
    rc, _, img = r.view([trace], "key f\nkey ?\n")
    r.check("? shows the key help", rc == 0 and img and diff_count(fit, img, fit.w // 3, 2 * fit.w // 3,
                                                                   fit.h // 3, 2 * fit.h // 3) > 2000)
    rc, _, img = r.view([trace], "key f\nkey ?\nkey ?\n")
    r.check("? again hides it", rc == 0 and img and same_picture(img, fit))
    rc, _, img = r.view([trace], "key f\nkey ?\nkey esc\n")
    r.check("Esc hides the help first", rc == 0 and img and same_picture(img, fit))
    rc, _, img = r.view([trace], "key f\nkey t\n")
    ok = rc == 0 and img and not same_picture(img, fit)
    r.check("T switches to the ticks axis (the picture changes, green remains)",
            ok and any(colour(img.px(x, ym)) == "green" for x in range(x0, x1)))
    rc, _, img = r.view([trace], "key f\nkey l\n")
    r.check("L switches to the dark theme", rc == 0 and img and sum(img.px(2, img.h - 3)) < sum(fit.px(2, fit.h - 3)))

    # Panes: two traces, 2 hides the second, 2 again shows it; the last pane stays.
    rc, _, two = r.view([trace, three], "key f\n")
    if r.check("two traces: two panes", rc == 0 and two and len(bands(two)) >= 6, "bands %s" % (two and bands(two))):
        rc, _, img = r.view([trace, three], "key f\nkey 2\n")
        r.check("2 hides the second pane", rc == 0 and img and len(bands(img)) < len(bands(two)))
        rc, _, img = r.view([trace, three], "key f\nkey 2\nkey 2\n")
        r.check("2 again shows it", rc == 0 and img and same_picture(img, two, skip_bottom=80))
        rc, _, img = r.view([trace, three], "key f\nkey 1\nkey 2\nwait 1\n")
        r.check("the last shown pane cannot be hidden", rc == 0 and img and len(bands(img)) >= 3)

    # E writes a PNG and says where.
    rc, err, img = r.view([trace], "key f\nkey e\nkey e\n", cwd=r.tmp)
    p1, p2 = os.path.join(r.tmp, "two-view-1.png"), os.path.join(r.tmp, "two-view-2.png")
    r.check("E writes the view as PNG (twice: -1, -2) and says where",
            rc == 0 and os.path.exists(p1) and os.path.exists(p2) and "wrote two-view-1.png" in err,
            "exit %d, stderr %r" % (rc, err))
    if os.path.exists(p1):
        e = read_png(p1)
        r.check("the exported PNG has the window's size and the lanes", (e.w, e.h) == (WIDTH, HEIGHT) and
                len(bands(e)) >= 3)

    # Sizes.
    rc, _, img = r.view([trace], "key f\nresize 700 400\n")
    r.check("resize changes the picture's size", rc == 0 and img and (img.w, img.h) == (700, 400) and
            len(bands(img)) >= 3, img and "%dx%d" % (img.w, img.h))
    rc, _, img = r.view([trace], "", extra=["--size", "640x360"])
    r.check("--size sets the window size", rc == 0 and img and (img.w, img.h) == (640, 360))
    rc, err, img = r.view([trace], "key q\nkey w\n")
    r.check("Q quits (the rest of the script is skipped, the screenshot written)", rc == 0 and img)

    # Errors.
    for script, line, msg in (("key f\njump 1 2\n", 2, "unknown action 'jump'"),
                              ("wheel 3 at 10\n", 1, "wheel takes: wheel CLICKS at X Y"),
                              ("\n\nkey banana\n", 3, "unknown key 'banana'")):
        rc, err, _ = r.view([trace], script)
        path = os.path.join(r.tmp, "script%d.txt" % r.n)
        r.check("bad replay line %d -> exit 65 'FILE:%d: %s'" % (line, line, msg),
                rc == 65 and err.startswith("%s:%d: " % (path, line)) and msg in err, "exit %d %r" % (rc, err))
    rc, err, _ = r.view([trace], shot=False, extra=["--replay", os.path.join(r.tmp, "missing.txt")])
    r.check("missing replay script -> exit 74", rc == 74 and "missing.txt" in err, "exit %d %r" % (rc, err))
    rc, err, _ = r.view([os.path.join(r.tmp, "missing.gilt")], "")
    r.check("missing trace -> exit 74", rc == 74, "exit %d %r" % (rc, err))
    junk = os.path.join(r.tmp, "junk.gilt")
    with open(junk, "wb") as f:
        f.write(b"this is not a trace\n" * 10)
    rc, err, _ = r.view([junk], "")
    r.check("not a trace -> exit 65", rc == 65, "exit %d %r" % (rc, err))
    rc, err, _ = r.view([trace], "", extra=["--size", "12"])
    r.check("bad --size -> exit 64", rc == 64, "exit %d %r" % (rc, err))
    rc, err, _ = r.view([], "")
    r.check("no trace -> exit 64", rc == 64, "exit %d %r" % (rc, err))
    p = subprocess.run([r.viewer, "view", "--help"], capture_output=True, text=True)
    r.check("view --help documents keys and the replay format",
            p.returncode == 0 and "shift-drag 100 300 to 400 300" in p.stdout and "Q / Esc" in p.stdout)

    # No display.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    rc, err, _ = r.view([trace], "key f\n", offscreen=False, env=env)
    r.check("no display, no --offscreen -> exit 69 and one line", rc == 69 and err == NO_DISPLAY + "\n",
            "exit %d %r" % (rc, err))

    # A real X window.
    xvfb = shutil.which("xvfb-run")
    if not xvfb:
        print("note: xvfb-run not found: the X window test is skipped (apt-get install xvfb xauth)", flush=True)
        return
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER",)}
    fit_checks(r, trace, "xvfb", offscreen=False, env=env, wrap=[xvfb, "-a", "-s", "-screen 0 2400x1600x24"])


if __name__ == "__main__":
    sys.exit(main())
