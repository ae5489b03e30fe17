/*
 * format.c -- turning numbers and objects into text as CPython does:
 * float repr (shortest round-trip), the format-spec mini-language behind
 * format() and str.format, and printf-style "fmt % args".
 *
 * Floats are formatted by the C library (%.*e/%.*f/%.*g agree with Python's
 * own dtoa for every precision) and only rearranged here; the sign, the
 * padding and the digit grouping are always done by hand so that Python's
 * rules (zero padding after the sign, "-0x1f", "0o17", grouping inside the
 * zero padding) hold.
 */
#include "object.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

/* ---- float repr ------------------------------------------------------------- */

/* Shortest decimal digits that read back as d (d finite, nonzero):
 * digits without the point into dig (NUL-terminated, no trailing zeros),
 * the decimal exponent of the first digit into *exp. */
static int shortest_digits(double d, char *dig, int *exp)
{
    char buf[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, d);
        if (strtod(buf, NULL) == d || p == 17)
            break;
    }
    /* buf is "[-]d[.ddd]e[+-]XX" */
    const char *q = buf;
    if (*q == '-')
        q++;
    int n = 0;
    for (; *q && *q != 'e'; q++)
        if (*q != '.')
            dig[n++] = *q;
    while (n > 1 && dig[n - 1] == '0')
        n--;
    dig[n] = '\0';
    *exp = atoi(q + 1);
    return n;
}

/* Fixed notation of the digits dig[0..n) with first-digit exponent exp;
 * at least one digit after the point when add_dot0. */
static void put_fixed(StrBuf *sb, const char *dig, int n, int exp, bool add_dot0)
{
    if (exp < 0) {
        sb_puts(sb, "0.");
        for (int k = 0; k < -exp - 1; k++)
            sb_putc(sb, '0');
        sb_append(sb, dig, n);
        return;
    }
    for (int k = 0; k <= exp; k++)
        sb_putc(sb, k < n ? dig[k] : '0');
    if (n > exp + 1) {
        sb_putc(sb, '.');
        sb_append(sb, dig + exp + 1, n - exp - 1);
    } else if (add_dot0) {
        sb_puts(sb, ".0");
    }
}

static void put_exp(StrBuf *sb, const char *dig, int n, int exp)
{
    sb_putc(sb, dig[0]);
    if (n > 1) {
        sb_putc(sb, '.');
        sb_append(sb, dig + 1, n - 1);
    }
    sb_printf(sb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
}

/* repr of |d| (finite) without the sign. */
static void float_repr_abs(StrBuf *sb, double d)
{
    if (d == 0) {
        sb_puts(sb, "0.0");
        return;
    }
    char dig[32];
    int exp, n = shortest_digits(d, dig, &exp);
    if (exp >= -4 && exp < 16)
        put_fixed(sb, dig, n, exp, true);
    else
        put_exp(sb, dig, n, exp);
}

void float_repr_sb(StrBuf *sb, double d)
{
    if (isnan(d)) {
        sb_puts(sb, "nan");
        return;
    }
    if (signbit(d))
        sb_putc(sb, '-');
    if (isinf(d))
        sb_puts(sb, "inf");
    else
        float_repr_abs(sb, fabs(d));
}

ObjStr *float_repr(Vm *vm, double d)
{
    StrBuf sb;
    sb_init(&sb);
    float_repr_sb(&sb, d);
    return sb_to_str(vm, &sb);
}

/* ---- shared number pieces ----------------------------------------------------- */

/* Digits of u in base (2, 8, 10, 16), upper-case hex when upper. */
static int utoa_base(uint64_t u, int base, bool upper, char *out)
{
    const char *digs = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[72];
    int n = 0;
    do {
        tmp[n++] = digs[u % (uint64_t)base];
        u /= (uint64_t)base;
    } while (u);
    for (int k = 0; k < n; k++)
        out[k] = tmp[n - 1 - k];
    out[n] = '\0';
    return n;
}

/* |d| formatted by the C library with conversion conv (e E f F g G) and
 * precision prec; alt keeps the point and trailing zeros (Python's '#').
 * inf and nan are spelled as Python does. */
static void fmt_abs_double(StrBuf *sb, double d, char conv, int prec, bool alt)
{
    bool upper = conv == 'E' || conv == 'F' || conv == 'G';
    if (isnan(d)) {
        sb_puts(sb, upper ? "NAN" : "nan");
        return;
    }
    if (isinf(d)) {
        sb_puts(sb, upper ? "INF" : "inf");
        return;
    }
    char fmt[8];
    snprintf(fmt, sizeof fmt, "%%%s.*%c", alt ? "#" : "", conv);
    sb_printf(sb, fmt, prec, fabs(d));
}

/* ---- the format-spec mini-language ------------------------------------------------ */

typedef struct Spec {
    char fill[5];       /* one code point of UTF-8 */
    char align;         /* '<' '>' '=' '^' or 0 */
    char sign;          /* '+' '-' ' ' or 0 */
    bool alt;           /* '#' */
    bool zero;          /* '0' before the width */
    bool has_fill;
    int64_t width;      /* -1 if absent */
    char grouping;      /* ',' '_' or 0 */
    int64_t prec;       /* -1 if absent */
    char type;          /* 0 if absent */
} Spec;

static bool is_align(char c)
{
    return c == '<' || c == '>' || c == '=' || c == '^';
}

static bool spec_parse(Thread *t, ObjStr *s, Value v, Spec *sp)
{
    memset(sp, 0, sizeof *sp);
    strcpy(sp->fill, " ");
    sp->width = sp->prec = -1;
    const char *p = s->chars, *end = p + s->len;
    if (p < end) {
        int64_t pos = 0;
        str_decode_utf8(s->chars, s->len, &pos);
        if (p + pos < end && is_align(p[pos])) {
            memcpy(sp->fill, p, (size_t)pos);
            sp->fill[pos] = '\0';
            sp->has_fill = true;
            sp->align = p[pos];
            p += pos + 1;
        } else if (is_align(*p)) {
            sp->align = *p++;
        }
    }
    if (p < end && (*p == '+' || *p == '-' || *p == ' '))
        sp->sign = *p++;
    if (p < end && *p == 'z')
        p++;    /* 3.11's negative-zero coercion: accepted, not applied */
    if (p < end && *p == '#') {
        sp->alt = true;
        p++;
    }
    if (p < end && *p == '0') {
        sp->zero = true;
        p++;
    }
    if (p < end && *p >= '0' && *p <= '9') {
        sp->width = 0;
        while (p < end && *p >= '0' && *p <= '9')
            sp->width = sp->width * 10 + (*p++ - '0');
    }
    if (p < end && (*p == ',' || *p == '_'))
        sp->grouping = *p++;
    if (p < end && (*p == ',' || *p == '_')) {
        vm_raise(t, EXC_ValueError, "Cannot specify both ',' and '_'.");
        return false;
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9') {
            vm_raise(t, EXC_ValueError, "Format specifier missing precision");
            return false;
        }
        sp->prec = 0;
        while (p < end && *p >= '0' && *p <= '9')
            sp->prec = sp->prec * 10 + (*p++ - '0');
    }
    if (end - p > 1) {
        vm_raise(t, EXC_ValueError, "Invalid format specifier '%s' for object of type '%s'",
                 s->chars, vm_type_name(t->vm, v));
        return false;
    }
    if (p < end)
        sp->type = *p;
    if (sp->zero && !sp->has_fill) {
        strcpy(sp->fill, "0");
        if (!sp->align)
            sp->align = '=';
    }
    return true;
}

/* Inserts sep every `every` digits from the right of dig[0..n). */
static void put_grouped(StrBuf *sb, const char *dig, int64_t n, char sep, int every)
{
    for (int64_t k = 0; k < n; k++) {
        if (k > 0 && (n - k) % every == 0)
            sb_putc(sb, sep);
        sb_putc(sb, dig[k]);
    }
}

/* Lays out sign+prefix, the integer digits (grouped), then rest (fraction,
 * exponent, '%'), padded to the spec's width with its alignment. */
static Value spec_emit(Thread *t, const Spec *sp, char default_align, const char *sign,
                       const char *prefix, const char *intdig, int64_t nint, const char *rest,
                       int64_t nrest)
{
    int every = sp->type == 'b' || sp->type == 'o' || sp->type == 'x' || sp->type == 'X' ? 4 : 3;
    StrBuf body;
    sb_init(&body);
    int64_t head = (int64_t)(strlen(sign) + strlen(prefix));
    if (sp->grouping && nint > 0 && sp->zero && !sp->has_fill && sp->align == '=' &&
        sp->width > 0) {
        /* zero padding belongs to the grouped digits ("00,001,234") */
        int64_t want = sp->width - head - nrest, d = nint;
        while (d + (d - 1) / every < want)
            d++;
        char *z = mem_alloc((size_t)d + 1);
        memset(z, '0', (size_t)(d - nint));
        memcpy(z + d - nint, intdig, (size_t)nint);
        put_grouped(&body, z, d, sp->grouping, every);
        mem_free(z);
    } else if (sp->grouping) {
        put_grouped(&body, intdig, nint, sp->grouping, every);
    } else {
        sb_append(&body, intdig, nint);
    }
    sb_append(&body, rest, nrest);
    int64_t len = head;
    for (int64_t k = 0; k < body.len; k++)
        len += ((unsigned char)body.buf[k] & 0xC0) != 0x80;
    int64_t padn = sp->width > len ? sp->width - len : 0;
    char align = sp->align ? sp->align : default_align;
    int64_t left = 0, right = 0, mid = 0;
    if (align == '<')
        right = padn;
    else if (align == '>')
        left = padn;
    else if (align == '^') {
        left = padn / 2;
        right = padn - left;
    } else
        mid = padn;
    StrBuf sb;
    sb_init(&sb);
    for (int64_t k = 0; k < left; k++)
        sb_puts(&sb, sp->fill);
    sb_puts(&sb, sign);
    sb_puts(&sb, prefix);
    for (int64_t k = 0; k < mid; k++)
        sb_puts(&sb, sp->fill);
    sb_append(&sb, body.buf ? body.buf : "", body.len);
    for (int64_t k = 0; k < right; k++)
        sb_puts(&sb, sp->fill);
    sb_fini(&body);
    return val_obj(&sb_to_str(t->vm, &sb)->obj);
}

static const char *sign_of(bool neg, char flag)
{
    if (neg)
        return "-";
    return flag == '+' ? "+" : flag == ' ' ? " " : "";
}

static Value format_float_spec(Thread *t, double d, const Spec *sp, Value orig);

static Value format_int_spec(Thread *t, int64_t i, const Spec *sp, Value orig)
{
    char type = sp->type;
    switch (type) {
    case 0: case 'd': case 'n': case 'b': case 'o': case 'x': case 'X': case 'c':
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
        return format_float_spec(t, (double)i, sp, orig);
    default:
        return vm_raise(t, EXC_ValueError, "Unknown format code '%c' for object of type '%s'",
                        type, vm_type_name(t->vm, orig));
    }
    if (sp->prec >= 0)
        return vm_raise(t, EXC_ValueError, "Precision not allowed in integer format specifier");
    if (type == 'c') {
        if (sp->sign)
            return vm_raise(t, EXC_ValueError,
                            "Sign not allowed with integer format specifier 'c'");
        if (sp->alt)
            return vm_raise(t, EXC_ValueError,
                            "Alternate form (#) not allowed with integer format specifier 'c'");
        if (i < 0 || i > 0x10FFFF)
            return vm_raise(t, EXC_OverflowError, "%%c arg not in range(0x110000)");
        StrBuf cb;
        sb_init(&cb);
        sb_put_utf8(&cb, (uint32_t)i);
        Spec s2 = *sp;
        Value r = spec_emit(t, &s2, '<', "", "", cb.buf, cb.len, "", 0);
        sb_fini(&cb);
        return r;
    }
    if (sp->grouping && type == 'n')
        return vm_raise(t, EXC_ValueError, "Cannot specify ',' with 'n'.");
    if (sp->grouping == ',' && (type == 'b' || type == 'o' || type == 'x' || type == 'X'))
        return vm_raise(t, EXC_ValueError, "Cannot specify ',' with '%c'.", type);
    bool neg = i < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    int base = type == 'b' ? 2 : type == 'o' ? 8 : type == 'x' || type == 'X' ? 16 : 10;
    const char *prefix = "";
    if (sp->alt)
        prefix = base == 2 ? "0b" : base == 8 ? "0o" : type == 'x' ? "0x" : type == 'X' ? "0X" : "";
    char dig[72];
    int n = utoa_base(u, base, type == 'X', dig);
    return spec_emit(t, sp, '>', sign_of(neg, sp->sign), prefix, dig, n, "", 0);
}

static Value format_float_spec(Thread *t, double d, const Spec *sp, Value orig)
{
    char type = sp->type;
    switch (type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
        break;
    default:
        return vm_raise(t, EXC_ValueError, "Unknown format code '%c' for object of type '%s'",
                        type, vm_type_name(t->vm, orig));
    }
    if (sp->grouping && type == 'n')
        return vm_raise(t, EXC_ValueError, "Cannot specify ',' with 'n'.");
    bool neg = signbit(d) && !isnan(d);
    double a = fabs(d);
    StrBuf num;
    sb_init(&num);
    if (type == 0 && sp->prec < 0) {
        if (isnan(a))
            sb_puts(&num, "nan");
        else if (isinf(a))
            sb_puts(&num, "inf");
        else
            float_repr_abs(&num, a);
    } else if (type == 0) {
        /* 'g' that keeps one digit after the point, as repr does */
        int prec = sp->prec == 0 ? 1 : (int)sp->prec;
        if (isnan(a) || isinf(a)) {
            fmt_abs_double(&num, a, 'g', prec, false);
        } else if (a == 0) {
            sb_puts(&num, sp->alt ? "0." : "0.0");
            for (int k = 2; sp->alt && k <= prec; k++)
                sb_putc(&num, '0');
        } else {
            char buf[64];
            snprintf(buf, sizeof buf, "%.*e", prec - 1, a);
            int exp = atoi(strchr(buf, 'e') + 1);
            char dig[40];
            int n = 0;
            for (const char *q = buf; *q != 'e'; q++)
                if (*q != '.')
                    dig[n++] = *q;
            if (!sp->alt)
                while (n > 1 && dig[n - 1] == '0')
                    n--;
            dig[n] = '\0';
            if (exp >= -4 && exp < prec)
                put_fixed(&num, dig, n, exp, true);
            else
                put_exp(&num, dig, n, exp);
        }
    } else {
        int prec = sp->prec < 0 ? 6 : (int)sp->prec;
        char conv = type == 'n' ? 'g' : type == '%' ? 'f' : type;
        fmt_abs_double(&num, type == '%' ? a * 100 : a, conv, prec, sp->alt);
        if (type == '%')
            sb_putc(&num, '%');
    }
    /* split the integer digits (grouped) from the rest */
    int64_t nint = 0;
    while (nint < num.len && num.buf[nint] >= '0' && num.buf[nint] <= '9')
        nint++;
    Value r = spec_emit(t, sp, '>', sign_of(neg, sp->sign), "", num.buf, nint, num.buf + nint,
                        num.len - nint);
    sb_fini(&num);
    return r;
}

static Value format_str_spec(Thread *t, ObjStr *s, const Spec *sp)
{
    if (sp->type && sp->type != 's')
        return vm_raise(t, EXC_ValueError, "Unknown format code '%c' for object of type 'str'",
                        sp->type);
    if (sp->sign)
        return vm_raise(t, EXC_ValueError, "Sign not allowed in string format specifier");
    if (sp->alt)
        return vm_raise(t, EXC_ValueError,
                        "Alternate form (#) not allowed in string format specifier");
    if (sp->align == '=' && !(sp->zero && !sp->has_fill))
        return vm_raise(t, EXC_ValueError, "'=' alignment not allowed in string format specifier");
    if (sp->grouping)
        return vm_raise(t, EXC_ValueError, "Cannot specify '%c' with 's'.", sp->grouping);
    int64_t blen = s->len;
    if (sp->prec >= 0 && sp->prec < s->nchars) {
        int64_t i = 0;
        for (int64_t k = 0; k < sp->prec; k++)
            str_decode_utf8(s->chars, s->len, &i);
        blen = i;
    }
    Spec s2 = *sp;
    if (s2.align == '=')
        s2.align = '<';
    s2.grouping = 0;
    s2.zero = false;
    return spec_emit(t, &s2, '<', "", "", s->chars, 0, s->chars, blen);
}

Value vm_format(Thread *t, Value v, ObjStr *spec)
{
    Vm *vm = t->vm;
    if (IS_INSTANCE(v)) {
        Value *m = vm_class_lookup(vm_class_of(vm, v), str_intern_cstr(vm, "__format__"));
        if (m) {
            Value arg = val_obj(&spec->obj);
            Value r = vm_call_method(t, v, str_intern_cstr(vm, "__format__"), 1, &arg);
            if (!IS_ERR(r) && !IS_STR(r)) {
                const char *tn = vm_type_name(vm, r);
                val_decref(r);
                return vm_raise(t, EXC_TypeError, "__format__ must return a str, not %s", tn);
            }
            return r;
        }
    }
    if (spec->len == 0)
        return vm_str(t, v);
    Spec sp;
    switch (v.kind) {
    case V_INT:
    case V_BOOL:
        if (!spec_parse(t, spec, v, &sp))
            return VAL_ERR;
        return format_int_spec(t, v.as.i, &sp, v);
    case V_FLOAT:
        if (!spec_parse(t, spec, v, &sp))
            return VAL_ERR;
        return format_float_spec(t, v.as.f, &sp, v);
    default:
        break;
    }
    if (IS_STR(v)) {
        if (!spec_parse(t, spec, v, &sp))
            return VAL_ERR;
        return format_str_spec(t, AS_STR(v), &sp);
    }
    return vm_raise(t, EXC_TypeError, "unsupported format string passed to %s.__format__",
                    vm_type_name(vm, v));
}

/* ---- printf-style formatting ------------------------------------------------------ */

enum { PF_LEFT = 1, PF_PLUS = 2, PF_SPACE = 4, PF_ALT = 8, PF_ZERO = 16 };

/* Pads sign+prefix+digits to width as printf does: zeros after the prefix
 * with PF_ZERO, spaces on the right with PF_LEFT, else on the left. */
static void pf_emit_num(StrBuf *out, int flags, int64_t width, const char *sign,
                        const char *prefix, const char *body, int64_t nbody)
{
    int64_t len = (int64_t)(strlen(sign) + strlen(prefix)) + nbody;
    int64_t padn = width > len ? width - len : 0;
    if (!(flags & PF_LEFT) && !(flags & PF_ZERO))
        for (int64_t k = 0; k < padn; k++)
            sb_putc(out, ' ');
    sb_puts(out, sign);
    sb_puts(out, prefix);
    if (!(flags & PF_LEFT) && (flags & PF_ZERO))
        for (int64_t k = 0; k < padn; k++)
            sb_putc(out, '0');
    sb_append(out, body, nbody);
    if (flags & PF_LEFT)
        for (int64_t k = 0; k < padn; k++)
            sb_putc(out, ' ');
}

/* Pads a str (code points counted) with spaces. */
static void pf_emit_str(StrBuf *out, int flags, int64_t width, const char *s, int64_t len,
                        int64_t nchars)
{
    int64_t padn = width > nchars ? width - nchars : 0;
    if (!(flags & PF_LEFT))
        for (int64_t k = 0; k < padn; k++)
            sb_putc(out, ' ');
    sb_append(out, s, len);
    if (flags & PF_LEFT)
        for (int64_t k = 0; k < padn; k++)
            sb_putc(out, ' ');
}

static const char *pf_sign(bool neg, int flags)
{
    return neg ? "-" : (flags & PF_PLUS) ? "+" : (flags & PF_SPACE) ? " " : "";
}

/* One %d/%x/%o/... conversion of an int-like or (for d i u) float value. */
static bool pf_int(Thread *t, StrBuf *out, char conv, int flags, int64_t width, int64_t prec,
                   Value v)
{
    int64_t i;
    if (IS_INTLIKE(v)) {
        i = v.as.i;
    } else if (IS_FLOAT(v) && (conv == 'd' || conv == 'i' || conv == 'u')) {
        double d = v.as.f;
        if (isnan(d)) {
            vm_raise(t, EXC_ValueError, "cannot convert float NaN to integer");
            return false;
        }
        if (isinf(d)) {
            vm_raise(t, EXC_OverflowError, "cannot convert float infinity to integer");
            return false;
        }
        if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
            vm_raise(t, EXC_OverflowError, "int too large to convert");
            return false;
        }
        i = (int64_t)d;
    } else {
        if (conv == 'd' || conv == 'i' || conv == 'u')
            vm_raise(t, EXC_TypeError, "%%%c format: a real number is required, not %s", conv,
                     vm_type_name(t->vm, v));
        else
            vm_raise(t, EXC_TypeError, "%%%c format: an integer is required, not %s", conv,
                     vm_type_name(t->vm, v));
        return false;
    }
    bool neg = i < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    int base = conv == 'x' || conv == 'X' ? 16 : conv == 'o' ? 8 : 10;
    char dig[72], body[160];
    int n = utoa_base(u, base, conv == 'X', dig);
    int64_t nb = 0;
    for (int64_t k = n; k < prec && nb < 80; k++)
        body[nb++] = '0';
    memcpy(body + nb, dig, (size_t)n);
    nb += n;
    const char *prefix = "";
    if (flags & PF_ALT)
        prefix = conv == 'x' ? "0x" : conv == 'X' ? "0X" : conv == 'o' ? "0o" : "";
    pf_emit_num(out, flags, width, pf_sign(neg, flags), prefix, body, nb);
    return true;
}

static bool pf_float(Thread *t, StrBuf *out, char conv, int flags, int64_t width, int64_t prec,
                     Value v)
{
    double d;
    if (IS_FLOAT(v)) {
        d = v.as.f;
    } else if (IS_INTLIKE(v)) {
        d = (double)v.as.i;
    } else {
        vm_raise(t, EXC_TypeError, "must be real number, not %s", vm_type_name(t->vm, v));
        return false;
    }
    StrBuf num;
    sb_init(&num);
    fmt_abs_double(&num, d, conv, prec < 0 ? 6 : (int)prec, flags & PF_ALT);
    pf_emit_num(out, flags, width, pf_sign(signbit(d) && !isnan(d), flags), "",
                num.buf, num.len);
    sb_fini(&num);
    return true;
}

/* %s %r %a: the text of v, truncated to prec code points. */
static bool pf_text(Thread *t, StrBuf *out, char conv, int flags, int64_t width, int64_t prec,
                    Value v)
{
    Value s = conv == 's' ? vm_str(t, v) : vm_repr(t, v);
    if (IS_ERR(s))
        return false;
    if (conv == 'a') {
        Value a = val_obj(&str_ascii(t->vm, AS_STR(s))->obj);
        Value inner = val_obj(&str_new(t->vm, AS_STR(a)->chars + 1, AS_STR(a)->len - 2)->obj);
        val_decref(a);
        val_decref(s);
        s = inner;
    }
    ObjStr *str = AS_STR(s);
    int64_t blen = str->len, nch = str->nchars;
    if (prec >= 0 && prec < nch) {
        int64_t i = 0;
        for (int64_t k = 0; k < prec; k++)
            str_decode_utf8(str->chars, str->len, &i);
        blen = i;
        nch = prec;
    }
    pf_emit_str(out, flags, width, str->chars, blen, nch);
    val_decref(s);
    return true;
}

static bool pf_char(Thread *t, StrBuf *out, int flags, int64_t width, Value v)
{
    StrBuf c;
    sb_init(&c);
    if (IS_INTLIKE(v)) {
        if (v.as.i < 0 || v.as.i > 0x10FFFF) {
            vm_raise(t, EXC_OverflowError, "%%c arg not in range(0x110000)");
            return false;
        }
        sb_put_utf8(&c, (uint32_t)v.as.i);
    } else if (IS_STR(v) && AS_STR(v)->nchars == 1) {
        sb_append(&c, AS_STR(v)->chars, AS_STR(v)->len);
    } else {
        vm_raise(t, EXC_TypeError, "%%c requires int or char");
        return false;
    }
    pf_emit_str(out, flags, width, c.buf, c.len, 1);
    sb_fini(&c);
    return true;
}

Value str_percent_format(Thread *t, ObjStr *fmt, Value args)
{
    Vm *vm = t->vm;
    const Value *items = &args;
    int64_t nargs = 1, argi = 0;
    if (IS_TUPLE(args)) {
        items = AS_TUPLE(args)->items;
        nargs = AS_TUPLE(args)->len;
    }
    /* a mapping (not a tuple or str) may serve %(key)s; then leftover args are fine */
    bool mapping = IS_DICT(args) || (IS_INSTANCE(args) &&
                   vm_class_lookup(vm_class_of(vm, args), vm->s_getitem) != NULL);
    StrBuf out;
    sb_init(&out);
    const char *p = fmt->chars, *end = p + fmt->len;
    while (p < end) {
        const char *pct = memchr(p, '%', (size_t)(end - p));
        if (!pct) {
            sb_append(&out, p, end - p);
            break;
        }
        sb_append(&out, p, pct - p);
        p = pct + 1;
        Value arg = VAL_ERR, owned = VAL_ERR;
        if (p < end && *p == '(') {
            if (!mapping) {
                sb_fini(&out);
                return vm_raise(t, EXC_TypeError, "format requires a mapping");
            }
            const char *k0 = ++p;
            int depth = 1;
            while (p < end && depth > 0) {
                if (*p == '(')
                    depth++;
                else if (*p == ')')
                    depth--;
                if (depth > 0)
                    p++;
            }
            if (p >= end) {
                sb_fini(&out);
                return vm_raise(t, EXC_ValueError, "incomplete format key");
            }
            Value key = val_obj(&str_new(vm, k0, p - k0)->obj);
            p++;
            owned = vm_getitem(t, args, key);
            val_decref(key);
            if (IS_ERR(owned)) {
                sb_fini(&out);
                return VAL_ERR;
            }
            arg = owned;
            nargs = 0;      /* no "not all arguments converted" with a mapping */
        }
        int flags = 0;
        for (; p < end; p++) {
            if (*p == '-') flags |= PF_LEFT;
            else if (*p == '+') flags |= PF_PLUS;
            else if (*p == ' ') flags |= PF_SPACE;
            else if (*p == '#') flags |= PF_ALT;
            else if (*p == '0') flags |= PF_ZERO;
            else break;
        }
        int64_t width = -1, prec = -1;
        for (int part = 0; part < 2; part++) {
            int64_t *dst = part ? &prec : &width;
            if (part == 1) {
                if (p >= end || *p != '.')
                    break;
                p++;
                prec = 0;
            }
            if (p < end && *p == '*') {
                p++;
                if (argi >= nargs) {
                    val_decref(owned);
                    sb_fini(&out);
                    return vm_raise(t, EXC_TypeError, "not enough arguments for format string");
                }
                Value w = items[argi++];
                if (!IS_INTLIKE(w)) {
                    val_decref(owned);
                    sb_fini(&out);
                    return vm_raise(t, EXC_TypeError, "* wants int");
                }
                *dst = w.as.i;
                if (part == 0 && *dst < 0) {
                    flags |= PF_LEFT;
                    *dst = -*dst;
                }
            } else {
                int64_t n = part ? 0 : -1;
                while (p < end && *p >= '0' && *p <= '9')
                    n = (n < 0 ? 0 : n) * 10 + (*p++ - '0');
                *dst = n;
            }
        }
        while (p < end && (*p == 'h' || *p == 'l' || *p == 'L'))
            p++;
        if (p >= end) {
            val_decref(owned);
            sb_fini(&out);
            return vm_raise(t, EXC_ValueError, "incomplete format");
        }
        char conv = *p++;
        if (conv == '%') {
            sb_putc(&out, '%');
            val_decref(owned);
            continue;
        }
        if (IS_ERR(arg)) {
            if (argi >= nargs) {
                sb_fini(&out);
                return vm_raise(t, EXC_TypeError, "not enough arguments for format string");
            }
            arg = items[argi++];
        }
        if (flags & PF_LEFT)
            flags &= ~PF_ZERO;
        bool ok;
        switch (conv) {
        case 's': case 'r': case 'a':
            ok = pf_text(t, &out, conv, flags, width, prec, arg);
            break;
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
            ok = pf_int(t, &out, conv, flags, width, prec, arg);
            break;
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
            ok = pf_float(t, &out, conv, flags, width, prec, arg);
            break;
        case 'c':
            ok = pf_char(t, &out, flags, width, arg);
            break;
        default:
            val_decref(owned);
            sb_fini(&out);
            if ((unsigned char)conv < 0x80)
                return vm_raise(t, EXC_ValueError,
                                "unsupported format character '%c' (0x%x) at index %lld", conv,
                                (unsigned)(unsigned char)conv,
                                (long long)(p - 1 - fmt->chars));
            return vm_raise(t, EXC_ValueError, "unsupported format character at index %lld",
                            (long long)(p - 1 - fmt->chars));
        }
        val_decref(owned);
        if (!ok) {
            sb_fini(&out);
            return VAL_ERR;
        }
    }
    if (argi < nargs && !mapping) {
        sb_fini(&out);
        return vm_raise(t, EXC_TypeError, "not all arguments converted during string formatting");
    }
    return val_obj(&sb_to_str(vm, &out)->obj);
}
