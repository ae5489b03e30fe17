/*
 * test_replay.c -- the viewer's replay scripts (viz/replay.h): every action
 * with its fields, comments and blank lines, every error message with its
 * line, limits, and arbitrary bytes that must never crash the parser.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/replay.h"

static int parse(const char *text, ReplayScript *rs, char *err, size_t errsize)
{
    return replay_parse(text, strlen(text), rs, err, errsize);
}

static void test_every_action(void **state)
{
    (void)state;
    const char *text = "# a comment\n"
                       "\n"
                       "key w\n"
                       "key shift+W   # trailing comment\n"
                       "  key ctrl+alt+e\n"
                       "key ?\n"
                       "key esc\n"
                       "key pagedown\n"
                       "wheel 3 at 500 400\n"
                       "wheel -2 at 0 16383\n"
                       "drag 100 300 to 400 300\n"
                       "shift-drag 100 300 to 400 301\r\n"
                       "move 640 360\n"
                       "click 1 2\n"
                       "resize 1280 720\n"
                       "wait 50";
    ReplayScript rs;
    char err[200];
    assert_int_equal(parse(text, &rs, err, sizeof err), 0);
    assert_int_equal(rs.nsteps, 14);
    ReplayStep *s = rs.steps;
    assert_int_equal(s[0].kind, REPLAY_KEY);
    assert_int_equal(s[0].key, 'w');
    assert_int_equal(s[0].mods, 0);
    assert_int_equal(s[0].line, 3);
    assert_int_equal(s[1].key, 'w');
    assert_int_equal(s[1].mods, REPLAY_MOD_SHIFT);
    assert_int_equal(s[2].key, 'e');
    assert_int_equal(s[2].mods, REPLAY_MOD_CTRL | REPLAY_MOD_ALT);
    assert_int_equal(s[2].line, 5);
    assert_int_equal(s[3].key, '?');
    assert_int_equal(s[4].key, 27);
    assert_int_equal(s[5].key, REPLAY_KEY_PAGEDOWN);
    assert_int_equal(s[6].kind, REPLAY_WHEEL);
    assert_int_equal(s[6].amount, 3);
    assert_int_equal(s[6].x, 500);
    assert_int_equal(s[6].y, 400);
    assert_int_equal(s[7].amount, -2);
    assert_int_equal(s[7].y, 16383);
    assert_int_equal(s[8].kind, REPLAY_DRAG);
    assert_int_equal(s[8].mods, 0);
    assert_int_equal(s[8].x2, 400);
    assert_int_equal(s[9].kind, REPLAY_DRAG);
    assert_int_equal(s[9].mods, REPLAY_MOD_SHIFT);
    assert_int_equal(s[9].y2, 301);
    assert_int_equal(s[10].kind, REPLAY_MOVE);
    assert_int_equal(s[10].x, 640);
    assert_int_equal(s[11].kind, REPLAY_CLICK);
    assert_int_equal(s[11].y, 2);
    assert_int_equal(s[12].kind, REPLAY_RESIZE);
    assert_int_equal(s[12].x, 1280);
    assert_int_equal(s[12].y, 720);
    assert_int_equal(s[13].kind, REPLAY_WAIT);
    assert_int_equal(s[13].amount, 50);
    assert_int_equal(s[13].line, 16);
    replay_free(&rs);
    assert_null(rs.steps);
}

static void test_empty(void **state)
{
    (void)state;
    ReplayScript rs;
    char err[100];
    assert_int_equal(replay_parse("", 0, &rs, err, sizeof err), 0);
    assert_int_equal(rs.nsteps, 0);
    assert_int_equal(parse("\n\n  # nothing\n\t\n", &rs, err, sizeof err), 0);
    assert_int_equal(rs.nsteps, 0);
    replay_free(&rs);
}

static void test_plus_keys(void **state)
{
    (void)state;
    ReplayScript rs;
    char err[100];
    assert_int_equal(parse("key +\nkey shift++\nkey shift+=\n", &rs, err, sizeof err), 0);
    assert_int_equal(rs.nsteps, 3);
    assert_int_equal(rs.steps[0].key, '+');
    assert_int_equal(rs.steps[1].key, '+');
    assert_int_equal(rs.steps[1].mods, REPLAY_MOD_SHIFT);
    assert_int_equal(rs.steps[2].key, '=');
    replay_free(&rs);
}

/* Each bad script and the exact message it must give. */
static const struct {
    const char *text;
    const char *msg;
} bad[] = {
    {"jump 1 2\n", "1: unknown action 'jump' (key, wheel, drag, shift-drag, move, click, resize or wait)"},
    {"key w\n\nkey\n", "3: key takes: key [shift+|ctrl+|alt+]NAME"},
    {"key w x\n", "1: key takes: key [shift+|ctrl+|alt+]NAME"},
    {"key meta+w\n", "1: unknown modifier 'meta' (shift, ctrl or alt)"},
    {"key banana\n", "1: unknown key 'banana'"},
    {"wheel 3 500 400\n", "1: wheel takes: wheel CLICKS at X Y"},
    {"wheel 0 at 1 1\n", "1: wheel clicks must not be 0"},
    {"wheel x at 1 1\n", "1: wheel clicks 'x' is not a number from -1000 to 1000"},
    {"wheel 1001 at 1 1\n", "1: wheel clicks '1001' is not a number from -1000 to 1000"},
    {"wheel 1 by 1 1\n", "1: expected 'at', not 'by'"},
    {"wheel 1 at -1 1\n", "1: x '-1' is not a number from 0 to 16383"},
    {"wheel 1 at 1 16384\n", "1: y '16384' is not a number from 0 to 16383"},
    {"drag 1 2 to 3\n", "1: drag takes: X1 Y1 to X2 Y2"},
    {"shift-drag 1 2 from 3 4\n", "1: expected 'to', not 'from'"},
    {"drag 1 2 to 3 4y\n", "1: y '4y' is not a number from 0 to 16383"},
    {"move 1\n", "1: move takes: X Y"},
    {"click 1 2 3\n", "1: click takes: X Y"},
    {"click 99999999999 2\n", "1: x '99999999999' is not a number from 0 to 16383"},
    {"resize 0 10\n", "1: width '0' is not a number from 1 to 16384"},
    {"resize 10 20000\n", "1: height '20000' is not a number from 1 to 16384"},
    {"resize 10\n", "1: resize takes: WIDTH HEIGHT"},
    {"wait\n", "1: wait takes: MILLISECONDS"},
    {"wait 60001\n", "1: wait '60001' is not a number from 0 to 60000"},
    {"wait -\n", "1: wait '-' is not a number from 0 to 60000"},
    {"wait 1\nkey \x01\n", "2: control character 0x01"},
    {"key a b c d e f g h i\n", "1: too many words"},
    {"key aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "1: word 'aaaaaaaaaaaaaaaaaaaa...' is too long"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ReplayScript rs;
        char err[200];
        int rc = parse(bad[i].text, &rs, err, sizeof err);
        if (rc != -1 || strcmp(err, bad[i].msg) != 0)
            fail_msg("script %zu %s: got %d '%s', want '%s'", i, bad[i].text, rc, err, bad[i].msg);
        assert_null(rs.steps);
        assert_int_equal(rs.nsteps, 0);
    }
}

static void test_nul_byte(void **state)
{
    (void)state;
    ReplayScript rs;
    char err[100];
    static const char text[] = "key w\nkey \0w\n";
    assert_int_equal(replay_parse(text, sizeof text - 1, &rs, err, sizeof err), -1);
    assert_string_equal(err, "2: NUL byte (not a text file?)");
}

static void test_small_error_buffer(void **state)
{
    (void)state;
    ReplayScript rs;
    char err[6];
    assert_int_equal(parse("jump\n", &rs, err, sizeof err), -1);
    assert_string_equal(err, "1: un");
    assert_int_equal(parse("jump\n", &rs, err, 0), -1);
}

static void test_too_many_steps(void **state)
{
    (void)state;
    size_t n = REPLAY_MAX_STEPS + 1;
    char *text = malloc(n * 7 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * 7, "wait 0\n", 7);
    ReplayScript rs;
    char err[100];
    assert_int_equal(replay_parse(text, n * 7 - 7, &rs, err, sizeof err), 0);
    assert_int_equal(rs.nsteps, REPLAY_MAX_STEPS);
    replay_free(&rs);
    assert_int_equal(replay_parse(text, n * 7, &rs, err, sizeof err), -1);
    assert_string_equal(err, "100001: more than 100000 steps");
    free(text);
}

/* Arbitrary bytes and mutations of a valid script: the parser returns 0 or
 * -1 with a "N: ..." message, never reads past len (run under ASan). */
static void test_arbitrary_bytes(void **state)
{
    (void)state;
    static const char seed[] = "key shift+w\nwheel -3 at 10 20\nshift-drag 1 2 to 3 4\nresize 9 9\nwait 5\n";
    uint32_t x = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t len = round % 2 ? sizeof seed - 1 : (size_t)(round % 97);
        char *buf = malloc(len ? len : 1);
        if (round % 2)
            memcpy(buf, seed, len);
        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            if (round % 2 == 0)
                buf[i] = (char)(x >> 16);
            else if ((x >> 16) % 13 == 0)
                buf[i] = (char)(x >> 24);
        }
        ReplayScript rs;
        char err[120];
        int rc = replay_parse(buf, len, &rs, err, sizeof err);
        if (rc == 0) {
            assert_true(rs.nsteps <= len);
            replay_free(&rs);
        } else {
            assert_int_equal(rc, -1);
            assert_true(err[0] >= '1' && err[0] <= '9');
            assert_non_null(strstr(err, ": "));
        }
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_action),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_plus_keys),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_small_error_buffer),
        cmocka_unit_test(test_too_many_steps),
        cmocka_unit_test(test_arbitrary_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
