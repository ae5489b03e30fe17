/*
 * fuzz_replay.c -- libFuzzer target: arbitrary bytes as a viewer replay
 * script (`gilscope view --replay`) through replay_parse.  Every parsed step
 * must hold the ranges replay.h promises; a rejected script must say why
 * ("LINE: message") and leave the script empty.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_replay: %s\n", what);
        abort();
    }
}

static int coord(int v)
{
    return v >= 0 && v <= REPLAY_MAX_COORD;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ReplayScript rs;
    char err[256];
    memset(err, 0, sizeof err);
    int rc = replay_parse((const char *)data, size, &rs, err, sizeof err);
    if (rc != 0) {
        check(rc == -1, "replay_parse returns 0 or -1");
        check(err[0] >= '1' && err[0] <= '9' && strstr(err, ": ") != NULL, "an error reads 'LINE: message'");
        check(rs.steps == NULL && rs.nsteps == 0, "a rejected script is empty");
        return 0;
    }
    check(rs.nsteps <= REPLAY_MAX_STEPS, "at most REPLAY_MAX_STEPS steps");
    for (size_t i = 0; i < rs.nsteps; i++) {
        const ReplayStep *s = &rs.steps[i];
        check(s->line >= 1, "lines are 1-based");
        switch (s->kind) {
        case REPLAY_KEY:
            check(s->key > 0 && s->key <= REPLAY_KEY_PAGEDOWN, "key in range");
            check((s->mods & ~(REPLAY_MOD_SHIFT | REPLAY_MOD_CTRL | REPLAY_MOD_ALT)) == 0, "mods known");
            break;
        case REPLAY_WHEEL:
            check(s->amount != 0 && s->amount >= -REPLAY_MAX_WHEEL && s->amount <= REPLAY_MAX_WHEEL,
                  "wheel clicks in range");
            check(coord(s->x) && coord(s->y), "wheel position in range");
            break;
        case REPLAY_DRAG:
            check(coord(s->x) && coord(s->y) && coord(s->x2) && coord(s->y2), "drag in range");
            break;
        case REPLAY_MOVE:
        case REPLAY_CLICK:
            check(coord(s->x) && coord(s->y), "position in range");
            break;
        case REPLAY_RESIZE:
            check(s->x >= 1 && s->x <= REPLAY_MAX_SIZE && s->y >= 1 && s->y <= REPLAY_MAX_SIZE, "size in range");
            break;
        case REPLAY_WAIT:
            check(s->amount >= 0 && s->amount <= REPLAY_MAX_WAIT_MS, "wait in range");
            break;
        default:
            check(0, "step kind known");
        }
    }
    replay_free(&rs);
    return 0;
}
