/*
 * replay.h -- scripted input for the viewer (`gilscope view --replay FILE`):
 * a text file of keys and mouse actions, one per line, parsed into steps the
 * viewer feeds through its ordinary event path.  Used by the headless tests.
 *
 * The format (also in `gilscope view --help`):
 *
 *     # a comment; blank lines are ignored; words are separated by blanks
 *     key w                        press and release a key
 *     key shift+w                  ... with modifiers: shift+, ctrl+, alt+
 *     key ?                        keys: a-z 0-9, punctuation, esc (escape),
 *                                  return (enter), space, tab, backspace,
 *                                  left right up down home end pageup pagedown
 *     wheel 3 at 500 400           3 wheel clicks up (zoom in) at x=500 y=400;
 *                                  negative clicks go down (zoom out)
 *     drag 100 300 to 400 300      left button down, move, up
 *     shift-drag 100 300 to 400 300   the same with shift held (select)
 *     move 640 360                 move the mouse (hover)
 *     click 640 360                left click (pins what is under it)
 *     resize 1280 720              resize the window
 *     wait 50                      let 50 ms pass, handling events
 *
 * Coordinates are window coordinates (points, as SDL reports the mouse),
 * 0..16383; wheel clicks -1000..1000 but not 0; sizes 1..16384; waits
 * 0..60000 ms.  At most REPLAY_MAX_STEPS steps.
 *
 * The parser is a pure function over a buffer: no I/O, no SDL, no globals,
 * any bytes in; it is a fuzz target.
 */
#ifndef VIZ_REPLAY_H
#define VIZ_REPLAY_H

#include <stddef.h>

#define REPLAY_MAX_STEPS 100000
#define REPLAY_MAX_COORD 16383
#define REPLAY_MAX_SIZE 16384
#define REPLAY_MAX_WAIT_MS 60000
#define REPLAY_MAX_WHEEL 1000

typedef enum {
    REPLAY_KEY,        /* key: mods, key */
    REPLAY_WHEEL,      /* wheel: amount (clicks, + up) at x, y */
    REPLAY_DRAG,       /* drag: x, y to x2, y2 with mods (shift-drag: REPLAY_MOD_SHIFT) */
    REPLAY_MOVE,       /* move: x, y */
    REPLAY_CLICK,      /* click: x, y */
    REPLAY_RESIZE,     /* resize: x = width, y = height */
    REPLAY_WAIT        /* wait: amount ms */
} ReplayKind;

#define REPLAY_MOD_SHIFT 1u
#define REPLAY_MOD_CTRL 2u
#define REPLAY_MOD_ALT 4u

/* Keys are their ASCII code (letters lower case: 'w'; '?' stays '?'),
 * or one of these for keys with no character. */
enum {
    REPLAY_KEY_LEFT = 0x100, REPLAY_KEY_RIGHT, REPLAY_KEY_UP, REPLAY_KEY_DOWN,
    REPLAY_KEY_HOME, REPLAY_KEY_END, REPLAY_KEY_PAGEUP, REPLAY_KEY_PAGEDOWN
};

typedef struct ReplayStep {
    ReplayKind kind;
    int line;              /* 1-based line in the script */
    unsigned mods;         /* REPLAY_MOD_* */
    int key;               /* REPLAY_KEY: ASCII or REPLAY_KEY_* */
    int x, y, x2, y2;      /* coordinates, see ReplayKind */
    int amount;            /* wheel clicks or wait ms */
} ReplayStep;

typedef struct ReplayScript {
    ReplayStep *steps;
    size_t nsteps;
} ReplayScript;

/* Parses buf[0..len) (any bytes; NUL bytes are errors).  Returns 0 and fills
 * *out (free with replay_free); or returns -1, leaves *out empty and writes
 * "LINE: message" to err (the caller prefixes the file name).  Out of memory
 * is reported as an error too. */
int replay_parse(const char *buf, size_t len, ReplayScript *out, char *err, size_t errsize);
void replay_free(ReplayScript *rs);

#endif
