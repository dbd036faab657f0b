/* A small printf: enough for test output, no floating point. Output goes through a sink so the
 * same formatter serves printf (UART) and snprintf (buffer). */
#include "fw.h"

struct sink {
    int uart;    /* 1: UART, 0: buf */
    char *buf;
    size_t size; /* capacity of buf, including the terminating NUL */
    size_t len;  /* characters produced so far (also those that did not fit) */
};

static void emit(struct sink *s, char c)
{
    if (s->uart)
        uart_putc(c);
    else if (s->len + 1 < s->size)
        s->buf[s->len] = c;
    s->len++;
}

static void emit_padded(struct sink *s, const char *str, size_t n, int width, int left, char pad,
                        const char *prefix)
{
    size_t plen = prefix ? strlen(prefix) : 0;
    int fill = width - (int)(n + plen);
    if (pad == '0' && !left) {
        /* zero padding goes between the sign/prefix and the digits */
        for (size_t i = 0; i < plen; i++)
            emit(s, prefix[i]);
        for (; fill > 0; fill--)
            emit(s, '0');
    } else {
        if (!left)
            for (; fill > 0; fill--)
                emit(s, ' ');
        for (size_t i = 0; i < plen; i++)
            emit(s, prefix[i]);
    }
    for (size_t i = 0; i < n; i++)
        emit(s, str[i]);
    if (left)
        for (; fill > 0; fill--)
            emit(s, ' ');
}

/* Digits of v in `base`, written backwards ending at end; returns the first character. */
static char *utoa_rev(char *end, unsigned long long v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    return p;
}

/* Reads the flags at fmt; returns the first character after them. */
static const char *parse_flags(const char *fmt, int *left, char *pad)
{
    for (;; fmt++) {
        if (*fmt == '-')
            *left = 1;
        else if (*fmt == '0')
            *pad = '0';
        else if (*fmt == ' ' || *fmt == '+' || *fmt == '#')
            ; /* accepted, ignored */
        else
            return fmt;
    }
}

/* Reads a decimal width at fmt; returns the first character after it. */
static const char *parse_width(const char *fmt, int *width)
{
    while (*fmt >= '0' && *fmt <= '9')
        *width = *width * 10 + (*fmt++ - '0');
    return fmt;
}

/* Reads the length modifiers at fmt into *lng (0 int, 1 long, 2 long long, -1 short, -2 char);
 * returns the conversion character's address. */
static const char *parse_length(const char *fmt, int *lng)
{
    for (;; fmt++) {
        if (*fmt == 'l')
            (*lng)++;
        else if (*fmt == 'z')
            *lng = 1;
        else if (*fmt == 'h')
            (*lng)--;
        else
            return fmt;
    }
}

/* The argument of %d/%i and of %u/%x/%X/%o for length lng (va_arg must run in format()'s frame,
 * which owns the va_list). */
#define SIGNED_ARG(ap, lng) \
    ((lng) >= 2 ? va_arg(ap, long long) : (lng) == 1 ? va_arg(ap, long) : va_arg(ap, int))
#define UNSIGNED_ARG(ap, lng)                                  \
    ((lng) >= 2   ? va_arg(ap, unsigned long long)             \
     : (lng) == 1 ? va_arg(ap, unsigned long)                  \
                  : va_arg(ap, unsigned int))

/* %d and %i */
static void convert_signed(struct sink *s, long long v, int lng, int width, int left, char pad)
{
    char tmp[24];
    char *end = tmp + sizeof tmp;
    if (lng == -1)
        v = (short)v;
    else if (lng <= -2)
        v = (signed char)v;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    char *p = utoa_rev(end, u, 10, 0);
    emit_padded(s, p, (size_t)(end - p), width, left, pad, v < 0 ? "-" : NULL);
}

/* %u, %x, %X and %o */
static void convert_unsigned(struct sink *s, unsigned long long v, char conv, int lng, int width,
                             int left, char pad)
{
    char tmp[24];
    char *end = tmp + sizeof tmp;
    if (lng == -1)
        v = (unsigned short)v;
    else if (lng <= -2)
        v = (unsigned char)v;
    unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
    char *p = utoa_rev(end, v, base, conv == 'X');
    emit_padded(s, p, (size_t)(end - p), width, left, pad, NULL);
}

/* %p */
static void convert_pointer(struct sink *s, uintptr_t v, int width, int left, char pad)
{
    char tmp[24];
    char *end = tmp + sizeof tmp;
    char *p = utoa_rev(end, v, 16, 0);
    emit_padded(s, p, (size_t)(end - p), width, left, pad, "0x");
}

/* %s */
static void convert_string(struct sink *s, const char *str, int width, int left)
{
    if (!str)
        str = "(null)";
    emit_padded(s, str, strlen(str), width, left, ' ', NULL);
}

static int format(struct sink *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            emit(s, *fmt);
            continue;
        }
        int left = 0;
        char pad = ' ';
        fmt = parse_flags(fmt + 1, &left, &pad);
        int width = 0;
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                left = 1;
                width = -width;
            }
            fmt++;
        } else {
            fmt = parse_width(fmt, &width);
        }
        int lng = 0;
        fmt = parse_length(fmt, &lng);
        switch (*fmt) {
        case 'd':
        case 'i':
            convert_signed(s, SIGNED_ARG(ap, lng), lng, width, left, pad);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            convert_unsigned(s, UNSIGNED_ARG(ap, lng), *fmt, lng, width, left, pad);
            break;
        case 'p':
            convert_pointer(s, (uintptr_t)va_arg(ap, void *), width, left, pad);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            emit_padded(s, &c, 1, width, left, ' ', NULL);
            break;
        }
        case 's':
            convert_string(s, va_arg(ap, const char *), width, left);
            break;
        case '%':
            emit(s, '%');
            break;
        case '\0':
            return (int)s->len;
        default: /* unknown conversion: print it as is */
            emit(s, '%');
            emit(s, *fmt);
            break;
        }
    }
    return (int)s->len;
}

int vprintf(const char *fmt, va_list ap)
{
    struct sink s = {1, NULL, 0, 0};
    return format(&s, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink s = {0, buf, size, 0};
    int n = format(&s, fmt, ap);
    if (size)
        buf[s.len < size ? s.len : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
