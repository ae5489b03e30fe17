/*
 * replay.c -- the viewer's input scripts (format in replay.h).
 *
 * One line at a time: split into at most 8 words, the first names the
 * action, the rest are checked strictly (numbers in range, nothing extra).
 * Every error names its line; the first error ends the parse.
 */
#include "viz/replay.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 8
#define MAX_WORD 32

typedef struct Line {
    int no;
    int nwords;
    char words[MAX_WORDS][MAX_WORD + 1];
} Line;

static const struct {
    const char *name;
    int key;
} named_keys[] = {
    {"esc", 27}, {"escape", 27}, {"return", '\r'}, {"enter", '\r'}, {"space", ' '},
    {"tab", '\t'}, {"backspace", '\b'}, {"left", REPLAY_KEY_LEFT}, {"right", REPLAY_KEY_RIGHT},
    {"up", REPLAY_KEY_UP}, {"down", REPLAY_KEY_DOWN}, {"home", REPLAY_KEY_HOME},
    {"end", REPLAY_KEY_END}, {"pageup", REPLAY_KEY_PAGEUP}, {"pagedown", REPLAY_KEY_PAGEDOWN},
};

static int fail(char *err, size_t errsize, int line, const char *fmt, ...)
{
    if (errsize) {
        int n = snprintf(err, errsize, "%d: ", line);
        if (n >= 0 && (size_t)n < errsize) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + n, errsize - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

/* Splits s[0..len) into words.  -1 with a message on a NUL byte, a control
 * character, a word too long or too many words. */
static int split(const char *s, size_t len, Line *ln, char *err, size_t errsize)
{
    ln->nwords = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        if (c == '#')
            break;
        size_t start = i;
        while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r') {
            unsigned char d = (unsigned char)s[i];
            if (d < 0x20 || d == 0x7f)
                return fail(err, errsize, ln->no, "control character 0x%02x", d);
            i++;
        }
        if (i - start > MAX_WORD)
            return fail(err, errsize, ln->no, "word '%.20s...' is too long", s + start);
        if (ln->nwords == MAX_WORDS)
            return fail(err, errsize, ln->no, "too many words");
        memcpy(ln->words[ln->nwords], s + start, i - start);
        ln->words[ln->nwords][i - start] = 0;
        ln->nwords++;
    }
    return 0;
}

/* A decimal integer in [lo, hi]; false if w is not one. */
static bool parse_num(const char *w, int lo, int hi, int *out)
{
    const char *p = w;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (!*p)
        return false;
    long v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
        if (v > 1000000)
            return false;
    }
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static int num(const Line *ln, int word, const char *what, int lo, int hi, int *out, char *err, size_t errsize)
{
    if (!parse_num(ln->words[word], lo, hi, out))
        return fail(err, errsize, ln->no, "%s '%s' is not a number from %d to %d", what, ln->words[word], lo, hi);
    return 0;
}

static int want_words(const Line *ln, int n, const char *usage, char *err, size_t errsize)
{
    if (ln->nwords != n)
        return fail(err, errsize, ln->no, "%s takes: %s", ln->words[0], usage);
    return 0;
}

static int parse_key(const Line *ln, ReplayStep *st, char *err, size_t errsize)
{
    if (want_words(ln, 2, "key [shift+|ctrl+|alt+]NAME", err, errsize))
        return -1;
    const char *w = ln->words[1];
    st->mods = 0;
    for (;;) {
        const char *plus = strchr(w, '+');
        if (!plus || plus == w || !plus[1])
            break; /* "+" alone or a trailing '+' is the key '+' */
        size_t n = (size_t)(plus - w);
        if (n == 5 && strncmp(w, "shift", 5) == 0)
            st->mods |= REPLAY_MOD_SHIFT;
        else if (n == 4 && strncmp(w, "ctrl", 4) == 0)
            st->mods |= REPLAY_MOD_CTRL;
        else if (n == 3 && strncmp(w, "alt", 3) == 0)
            st->mods |= REPLAY_MOD_ALT;
        else
            return fail(err, errsize, ln->no, "unknown modifier '%.*s' (shift, ctrl or alt)", (int)n, w);
        w = plus + 1;
    }
    if (w[0] && !w[1] && (unsigned char)w[0] > 0x20 && (unsigned char)w[0] < 0x7f) {
        char c = w[0];
        st->key = c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
        return 0;
    }
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++) {
        if (strcmp(w, named_keys[i].name) == 0) {
            st->key = named_keys[i].key;
            return 0;
        }
    }
    return fail(err, errsize, ln->no, "unknown key '%s'", w);
}

static int parse_point(const Line *ln, int word, int *x, int *y, char *err, size_t errsize)
{
    if (num(ln, word, "x", 0, REPLAY_MAX_COORD, x, err, errsize) ||
        num(ln, word + 1, "y", 0, REPLAY_MAX_COORD, y, err, errsize))
        return -1;
    return 0;
}

static int parse_line(const Line *ln, ReplayStep *st, char *err, size_t errsize)
{
    const char *cmd = ln->words[0];
    memset(st, 0, sizeof *st);
    st->line = ln->no;
    if (strcmp(cmd, "key") == 0) {
        st->kind = REPLAY_KEY;
        return parse_key(ln, st, err, errsize);
    }
    if (strcmp(cmd, "wheel") == 0) {
        st->kind = REPLAY_WHEEL;
        if (want_words(ln, 5, "wheel CLICKS at X Y", err, errsize))
            return -1;
        if (num(ln, 1, "wheel clicks", -REPLAY_MAX_WHEEL, REPLAY_MAX_WHEEL, &st->amount, err, errsize))
            return -1;
        if (st->amount == 0)
            return fail(err, errsize, ln->no, "wheel clicks must not be 0");
        if (strcmp(ln->words[2], "at") != 0)
            return fail(err, errsize, ln->no, "expected 'at', not '%s'", ln->words[2]);
        return parse_point(ln, 3, &st->x, &st->y, err, errsize);
    }
    if (strcmp(cmd, "drag") == 0 || strcmp(cmd, "shift-drag") == 0) {
        st->kind = REPLAY_DRAG;
        st->mods = cmd[0] == 's' ? REPLAY_MOD_SHIFT : 0;
        if (want_words(ln, 6, "X1 Y1 to X2 Y2", err, errsize))
            return -1;
        if (strcmp(ln->words[3], "to") != 0)
            return fail(err, errsize, ln->no, "expected 'to', not '%s'", ln->words[3]);
        if (parse_point(ln, 1, &st->x, &st->y, err, errsize))
            return -1;
        return parse_point(ln, 4, &st->x2, &st->y2, err, errsize);
    }
    if (strcmp(cmd, "move") == 0 || strcmp(cmd, "click") == 0) {
        st->kind = cmd[0] == 'm' ? REPLAY_MOVE : REPLAY_CLICK;
        if (want_words(ln, 3, "X Y", err, errsize))
            return -1;
        return parse_point(ln, 1, &st->x, &st->y, err, errsize);
    }
    if (strcmp(cmd, "resize") == 0) {
        st->kind = REPLAY_RESIZE;
        if (want_words(ln, 3, "WIDTH HEIGHT", err, errsize))
            return -1;
        if (num(ln, 1, "width", 1, REPLAY_MAX_SIZE, &st->x, err, errsize))
            return -1;
        return num(ln, 2, "height", 1, REPLAY_MAX_SIZE, &st->y, err, errsize);
    }
    if (strcmp(cmd, "wait") == 0) {
        st->kind = REPLAY_WAIT;
        if (want_words(ln, 2, "MILLISECONDS", err, errsize))
            return -1;
        return num(ln, 1, "wait", 0, REPLAY_MAX_WAIT_MS, &st->amount, err, errsize);
    }
    return fail(err, errsize, ln->no,
                "unknown action '%s' (key, wheel, drag, shift-drag, move, click, resize or wait)", cmd);
}

int replay_parse(const char *buf, size_t len, ReplayScript *out, char *err, size_t errsize)
{
    out->steps = NULL;
    out->nsteps = 0;
    if (errsize)
        err[0] = 0;
    size_t cap = 0;
    Line ln;
    ln.no = 0;
    size_t pos = 0;
    while (pos < len) {
        ln.no++;
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (memchr(s, 0, n))
            goto bad_nul;
        if (split(s, n, &ln, err, errsize))
            goto err;
        if (ln.nwords == 0)
            continue;
        if (out->nsteps == REPLAY_MAX_STEPS) {
            fail(err, errsize, ln.no, "more than %d steps", REPLAY_MAX_STEPS);
            goto err;
        }
        if (out->nsteps == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            ReplayStep *ns = realloc(out->steps, ncap * sizeof *ns);
            if (!ns) {
                fail(err, errsize, ln.no, "out of memory");
                goto err;
            }
            out->steps = ns;
            cap = ncap;
        }
        if (parse_line(&ln, &out->steps[out->nsteps], err, errsize))
            goto err;
        out->nsteps++;
    }
    return 0;
bad_nul:
    fail(err, errsize, ln.no, "NUL byte (not a text file?)");
err:
    replay_free(out);
    return -1;
}

void replay_free(ReplayScript *rs)
{
    free(rs->steps);
    rs->steps = NULL;
    rs->nsteps = 0;
}
