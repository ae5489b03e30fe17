/*
 * viewer.h -- `gilscope view A.gilt [B.gilt ...]`: the interactive SDL2
 * window, drawn by viz/draw.c through a cairo image surface.  Keys and mouse
 * follow Perfetto (W/S zoom, A/D pan, wheel, drag, shift-drag selects); the
 * bindings are one table in viewer.c.  Headless runs for tests: --offscreen,
 * --replay SCRIPT (viz/replay.h), --screenshot OUT.png.
 */
#ifndef VIZ_VIEWER_H
#define VIZ_VIEWER_H

/* argv[0] is "view".  Returns the exit status: 0; 64 usage; 65 a bad trace
 * or replay script; 69 no display (and no --offscreen); 70 SDL failed;
 * 74 a file could not be read or written. */
int view_main(int argc, char **argv);

#endif
