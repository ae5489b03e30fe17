#!/usr/bin/env python3
"""The viewer/exporter at scale: synthetic traces of 10M (and, with --big,
100M) events; load time and events/s, frame time at fit-all and at deep
zoom (median and max over 100 off-screen frames), PNG export time at
1920x1080, memory per event (max RSS / events).  Uses the hidden
`gilscope export --bench-frames N`.  'load cpu' is the CPU time of the load
(all threads): on a busy machine the wall time grows, the CPU time much
less; the load average is printed with each row.  Fonts are loaded before
the timed frames (as the viewer does at start-up) and shown apart."""
import argparse, json, os, subprocess, sys, tempfile, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gilscope", default="./gilscope")
    ap.add_argument("--sizes", default="10000000,100000000")
    ap.add_argument("--frames", type=int, default=100)
    a = ap.parse_args()
    g = os.path.abspath(a.gilscope)
    d = tempfile.mkdtemp(prefix="gilscope_viz_bench_")
    print("== viz: load, frames, export (synthetic newgil traces, 4 threads)")
    print(f"{'events':>12} {'synth s':>8} {'load s':>7} {'Mev/s':>7} {'load cpu':>8} {'B/event':>8} "
          f"{'fit ms p50/max':>15} {'deep ms p50/max':>16} {'png s':>6} {'fonts ms':>8} {'loadavg':>7}")
    for n in [int(x) for x in a.sizes.split(",") if x]:
        t = os.path.join(d, f"s{n}.gilt")
        png = os.path.join(d, f"s{n}.png")
        t0 = time.time()
        p = subprocess.run([g, "synth", "--events", str(n), "--threads", "4", "-o", t], capture_output=True, text=True)
        ts = time.time() - t0
        if p.returncode:
            print(f"synth {n} failed: {p.stderr.strip()}")
            continue
        p = subprocess.run([g, "export", t, "-o", png, "--bench-frames", str(a.frames)], capture_output=True, text=True)
        os.unlink(t)
        if os.path.exists(png):
            os.unlink(png)
        if p.returncode:
            print(f"export {n} failed: {p.stderr.strip()}")
            continue
        r = json.loads(p.stdout.strip().splitlines()[-1])
        print(f"{r['events']:>12} {ts:>8.2f} {r['load_s']:>7.3f} {r['events_per_s'] / 1e6:>7.1f} "
              f"{r['load_cpu_s']:>8.3f} {r['bytes_per_event']:>8.2f} "
              f"{r['frame_fit_median_ms']:>7.1f}/{r['frame_fit_max_ms']:<7.1f} "
              f"{r['frame_deep_median_ms']:>8.1f}/{r['frame_deep_max_ms']:<7.1f} {r['export_s']:>6.3f} "
              f"{r['font_setup_ms']:>8.1f} {os.getloadavg()[0]:>7.2f}")
        sys.stdout.flush()
    try:
        os.rmdir(d)
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
