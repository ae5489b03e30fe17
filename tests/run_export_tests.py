#!/usr/bin/env python3
"""Export tests: `gilscope export` of a small synthetic trace whose lanes are
known.  PNG pixels in each lane's band have the state's colour; the SVG
parses as XML and holds the lane names; the PDF opens (pdfinfo); the JSON
loads, names every thread, and its X events never overlap per (pid, tid);
usage and bad-trace exit statuses; missing data (chunks dropped, events
lost, a cut file) drawn as a hatched 'no data' band and counted in the key
figures.  Ends with 'N passed, N failed'."""
import argparse, json, os, shutil, struct, subprocess, sys, tempfile, zlib
import xml.etree.ElementTree as ET

RESULTS = [0, 0]


def check(name, ok, detail=""):
    RESULTS[0 if ok else 1] += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))


def png_pixels(path):
    """Decodes an 8-bit RGB/RGBA PNG (cairo's output) with zlib only."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if typ == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            bpp = {6: 4, 2: 3}[ctype]
        elif typ == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gilscope", default="./gilscope")
    a = ap.parse_args()
    g = os.path.abspath(a.gilscope)
    d = tempfile.mkdtemp(prefix="gilscope_export_")
    # Under ThreadSanitizer (loading runs on several threads): pango's and
    # fontconfig's own threads are not instrumented and give false reports.
    supp = os.path.join(d, "tsan.supp")
    with open(supp, "w") as f:
        f.write("race:libfontconfig.so\nrace:libglib-2.0.so\nrace:libpango-1.0.so\n"
                "race:libpangoft2-1.0.so\nrace:libharfbuzz.so\ncalled_from_lib:libfontconfig.so\n")
    os.environ.setdefault("TSAN_OPTIONS", "suppressions=" + supp)
    try:
        run(g, d)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print(f"{RESULTS[0]} passed, {RESULTS[1]} failed")
    return 1 if RESULTS[1] else 0


def run(g, d):
    t = os.path.join(d, "s.gilt")
    p = subprocess.run([g, "synth", "--events", "3000", "--threads", "2", "-o", t], capture_output=True, text=True)
    check("synth writes a trace", p.returncode == 0 and os.path.getsize(t) > 0, p.stderr)
    # Known lanes: MainThread blocked (join) almost all the time: amber in its band.
    png = os.path.join(d, "s.png")
    p = subprocess.run([g, "export", t, "-o", png, "--size", "800x500"], capture_output=True, text=True)
    check("export png", p.returncode == 0, p.stderr)
    if p.returncode == 0:
        w, h, bpp, rows = png_pixels(png)
        check("png size", (w, h) == (800, 500), f"{w}x{h}")
        # Find the amber band (main thread, blocked) and green pixels (workers running).
        amber = (0xe6, 0x9f, 0x00)
        green = (0x00, 0x9e, 0x73)
        vermillion = (0xd5, 0x5e, 0x00)
        def count(col):
            n = 0
            for r in rows:
                for x in range(0, w * bpp, bpp * 4):
                    if tuple(r[x:x + 3]) == col:
                        n += 1
            return n
        check("png: main thread blocked (amber) band", count(amber) > 500)
        check("png: workers running (green)", count(green) > 100)
        check("png: workers waiting (vermillion)", count(vermillion) > 100)
        # At mid-time, the first lane band's rows are amber: find amber row span at x = middle.
        x = (w // 2) * bpp
        ys = [y for y in range(h) if tuple(rows[y][x:x + 3]) == amber]
        check("png: amber at the middle of the run in one band", len(ys) >= 8, str(len(ys)))
    svg = os.path.join(d, "s.svg")
    p = subprocess.run([g, "export", t, "-o", svg], capture_output=True, text=True)
    ok = p.returncode == 0
    try:
        ET.parse(svg)
        parsed = True
    except Exception as e:  # noqa
        parsed = False
    check("export svg parses as XML", ok and parsed, p.stderr)
    if parsed:
        text = " ".join(ET.parse(svg).getroot().itertext())
        check("svg holds the lane names", "MainThread" in text and "worker-2" in text, text[:200])
    # Pango draws text as glyphs; the names are in the cairo-generated glyph ids, so check via JSON and PDF text.
    pdf = os.path.join(d, "s.pdf")
    p = subprocess.run([g, "export", t, "-o", pdf, "--theme", "dark", "--title", "T"], capture_output=True, text=True)
    check("export pdf", p.returncode == 0, p.stderr)
    if shutil.which("pdfinfo"):
        q = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True)
        check("pdfinfo opens the pdf", q.returncode == 0 and "Pages:" in q.stdout, q.stderr)
    if shutil.which("pdftotext"):
        q = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True)
        check("pdf holds the lane names", "MainThread" in q.stdout and "worker-1" in q.stdout, q.stdout[:200])
    js = os.path.join(d, "s.json")
    t2 = os.path.join(d, "p.gilt")
    subprocess.run([g, "synth", "--events", "2000", "--threads", "1", "--processes", "2", "--seed", "3", "-o", t2],
                   capture_output=True)
    p = subprocess.run([g, "export", t, t2, "-o", js], capture_output=True, text=True)
    check("export json", p.returncode == 0, p.stderr)
    if p.returncode == 0:
        doc = json.load(open(js))
        evs = doc["traceEvents"]
        names = {(e["pid"], e["tid"]): e["args"]["name"] for e in evs if e["ph"] == "M" and e["name"] == "thread_name"}
        procs = {e["pid"] for e in evs if e["ph"] == "M" and e["name"] == "process_name"}
        check("json: two runs are two processes", len(procs) == 2, str(procs))
        check("json: thread names", "MainThread" in names.values() and "worker-2" in names.values(), str(names))
        lanes = {}
        for e in evs:
            if e["ph"] == "X":
                lanes.setdefault((e["pid"], e["tid"]), []).append((e["ts"], e["dur"]))
        bad = 0
        for k, v in lanes.items():
            v.sort()
            for (a0, d0), (a1, _) in zip(v, v[1:]):
                if a0 + d0 > a1 + 1e-9:
                    bad += 1
        check("json: X events do not overlap per (pid, tid)", lanes and bad == 0, f"{bad} overlaps")
        states = {e["name"] for e in evs if e["ph"] == "X"}
        check("json: state names", states <= {"running", "waiting", "switch wait", "blocked", "lost"}, str(states))
        check("json: instants for failed wake-ups / drop requests",
              any(e["ph"] == "i" and e["name"] == "drop request" for e in evs))
    svg_names = open(svg).read()
    check("svg non-empty", len(svg_names) > 1000)
    # Statuses.
    p = subprocess.run([g, "export", t], capture_output=True, text=True)
    check("no -o: exit 64, one line", p.returncode == 64 and p.stderr.count("\n") == 1, p.stderr)
    p = subprocess.run([g, "export", t, "-o", os.path.join(d, "x.bmp")], capture_output=True, text=True)
    check("unknown format: exit 64", p.returncode == 64, p.stderr)
    bad = os.path.join(d, "bad.gilt")
    open(bad, "wb").write(b"GILT" + os.urandom(100))
    p = subprocess.run([g, "export", bad, "-o", png], capture_output=True, text=True)
    check("corrupt trace: exit 65 naming the file", p.returncode == 65 and bad in p.stderr, p.stderr)
    cut = os.path.join(d, "cut.gilt")
    open(cut, "wb").write(open(t, "rb").read()[:5000])
    p = subprocess.run([g, "export", cut, "-o", png], capture_output=True, text=True)
    check("truncated trace still exports", p.returncode == 0, p.stderr)
    p = subprocess.run([g, "export", os.path.join(d, "none.gilt"), "-o", png], capture_output=True, text=True)
    check("missing trace: exit 74", p.returncode == 74, p.stderr)
    p = subprocess.run([g, "export", t, "-o", png, "--lanes", "worker-1", "--from", "1", "--to", "50",
                        "--axis", "ticks", "--scale", "2"], capture_output=True, text=True)
    check("--lanes/--from/--to/--axis/--scale", p.returncode == 0, p.stderr)
    p = subprocess.run([g, "synth", "--threads", "2", "-o", t], capture_output=True, text=True)
    check("synth usage: exit 64", p.returncode == 64, p.stderr)
    gaps(g, d)


def lost_spans(g, trace, js):
    """The 'lost' X events of an export's JSON, by thread name: [(ts_us, dur_us)]."""
    p = subprocess.run([g, "export", trace, "-o", js], capture_output=True, text=True)
    if p.returncode:
        return None, p.stderr
    evs = json.load(open(js))["traceEvents"]
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in evs if e["ph"] == "M" and e["name"] == "thread_name"}
    spans = {}
    for e in evs:
        if e["ph"] == "X" and e["name"] == "lost":
            spans.setdefault(names[(e["pid"], e["tid"])], []).append((e["ts"], e["dur"]))
    return spans, evs


def svg_desc(g, trace, svg):
    p = subprocess.run([g, "export", trace, "-o", svg], capture_output=True, text=True)
    if p.returncode:
        return ""
    root = ET.parse(svg).getroot()
    return " ".join(e.text or "" for e in root.iter() if e.tag.endswith("desc"))


def gaps(g, d):
    """Missing data is drawn as a hatched 'no data' band, never silently."""
    green, vermillion, amber = (0x00, 0x9e, 0x73), (0xd5, 0x5e, 0x00), (0xe6, 0x9f, 0x00)
    gap_ink = (0x40, 0x40, 0x40)
    # Chunks missing (damage): worker-1's chunks 2 and 3 of its sequence are not in the file.
    t = os.path.join(d, "gap.gilt")
    p = subprocess.run([g, "synth", "--events", "60000", "--threads", "2", "--drop-chunks", "2", "--seed", "5",
                        "-o", t], capture_output=True, text=True)
    check("synth --drop-chunks", p.returncode == 0, p.stderr)
    spans, evs = lost_spans(g, t, os.path.join(d, "gap.json"))
    check("gap: json has a 'lost' span on worker-1 only", spans is not None and list(spans) == ["worker-1"]
          and len(spans["worker-1"]) == 1, str(spans))
    if spans and "worker-1" in spans:
        ts, dur = spans["worker-1"][0]
        # Inside the gap: only hatching in worker-1's band, none of the states' colours.
        png = os.path.join(d, "gap.png")
        a, b = (ts + dur * 0.1) / 1e3, (ts + dur * 0.9) / 1e3
        p = subprocess.run([g, "export", t, "-o", png, "--size", "800x500", "--lanes", "worker-1",
                            "--from", f"{a:.6f}", "--to", f"{b:.6f}"], capture_output=True, text=True)
        check("gap: png of the gap's time span", p.returncode == 0, p.stderr)
        if p.returncode == 0:
            w, h, bpp, rows = png_pixels(png)
            x = (w // 2) * bpp
            band = [y for y in range(h) if tuple(rows[y][x:x + 3]) == gap_ink]
            check("gap: hatched pixels at the middle of the band", len(band) >= 5, str(len(band)))
            if band:
                y0, y1 = min(band), max(band)
                cols = {tuple(rows[y][i:i + 3]) for y in range(y0, y1 + 1) for i in range(0, w * bpp, bpp)}
                check("gap: the band's pixels differ from the running/waiting/blocked colours",
                      not cols & {green, vermillion, amber}, str(sorted(cols)[:8]))
        # The same span in full view: the state colours around it, hatching in it.
        png = os.path.join(d, "gap_all.png")
        p = subprocess.run([g, "export", t, "-o", png, "--size", "800x500", "--lanes", "worker-1"],
                           capture_output=True, text=True)
        if p.returncode == 0:
            w, h, bpp, rows = png_pixels(png)
            inks = [sum(1 for y in range(h) if tuple(rows[y][x * bpp:x * bpp + 3]) == gap_ink) for x in range(w)]
            hatched = [x for x in range(w) if inks[x] >= 5]
            check("gap: in the full view, one hatched run of columns, not the whole lane",
                  hatched and hatched[-1] - hatched[0] + 1 == len(hatched) and len(hatched) < w // 2,
                  f"{len(hatched)} columns")
    desc = svg_desc(g, t, os.path.join(d, "gap.svg"))
    check("gap: svg names the no-data band and the missing chunks",
          "no data" in desc and "2 event chunks missing" in desc, desc[-300:])
    # Events lost (the tracer's buffer pool was empty): EV_LOSS says how many.
    t2 = os.path.join(d, "loss.gilt")
    p = subprocess.run([g, "synth", "--events", "30000", "--threads", "2", "--lose", "2500", "--seed", "6",
                        "-o", t2], capture_output=True, text=True)
    check("synth --lose", p.returncode == 0, p.stderr)
    spans, evs = lost_spans(g, t2, os.path.join(d, "loss.json"))
    check("loss: json has a 'lost' span on worker-1", spans is not None and "worker-1" in spans, str(spans))
    check("loss: an 'events lost' instant saying how many",
          any(e["ph"] == "i" and e["name"] == "events lost" and e["args"]["arg"] == 2500 for e in evs or []))
    desc = svg_desc(g, t2, os.path.join(d, "loss.svg"))
    check("loss: the key figures say how many events were lost", "2,500 events lost" in desc, desc[-300:])
    # A cut trace: the threads' ends are missing, up to the end of the run.
    cut = os.path.join(d, "cutgap.gilt")
    data = open(t2, "rb").read()
    open(cut, "wb").write(data[:len(data) * 3 // 4])
    spans, evs = lost_spans(g, cut, os.path.join(d, "cut.json"))
    ends = {}
    for e in evs or []:
        if e["ph"] == "X":
            ends[(e["pid"], e["tid"])] = max(ends.get((e["pid"], e["tid"]), 0), e["ts"] + e["dur"])
    last = max(ends.values()) if ends else 0
    check("cut: a 'lost' span runs to the end of the run",
          spans is not None and any(abs(ts + dur - last) < 1e-3 for v in spans.values() for ts, dur in v), str(spans))
    desc = svg_desc(g, cut, os.path.join(d, "cut.svg"))
    check("cut: the key figures say threads were cut short", "cut short" in desc, desc[-300:])


if __name__ == "__main__":
    sys.exit(main())
