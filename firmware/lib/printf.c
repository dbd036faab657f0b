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

static int format(struct sink *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            emit(s, *fmt);
            continue;
        }
        fmt++;
        int left = 0;
        char pad = ' ';
        for (;; fmt++) {
            if (*fmt == '-')
                left = 1;
            else if (*fmt == '0')
                pad = '0';
            else if (*fmt == ' ' || *fmt == '+' || *fmt == '#')
                ; /* accepted, ignored */
            else
                break;
        }
        int width = 0;
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                left = 1;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        int lng = 0; /* 0 int, 1 long, 2 long long, -1 short, -2 char */
        for (;; fmt++) {
            if (*fmt == 'l')
                lng++;
            else if (*fmt == 'z')
                lng = 1;
            else if (*fmt == 'h')
                lng--;
            else
                break;
        }
        char tmp[24];
        char *end = tmp + sizeof tmp;
        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
            if (lng == -1)
                v = (short)v;
            else if (lng <= -2)
                v = (signed char)v;
            unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            char *p = utoa_rev(end, u, 10, 0);
            emit_padded(s, p, (size_t)(end - p), width, left, pad, v < 0 ? "-" : NULL);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            unsigned long long v = lng >= 2 ? va_arg(ap, unsigned long long)
                                 : lng == 1 ? va_arg(ap, unsigned long)
                                            : va_arg(ap, unsigned int);
            if (lng == -1)
                v = (unsigned short)v;
            else if (lng <= -2)
                v = (unsigned char)v;
            unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            char *p = utoa_rev(end, v, base, *fmt == 'X');
            emit_padded(s, p, (size_t)(end - p), width, left, pad, NULL);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            char *p = utoa_rev(end, v, 16, 0);
            emit_padded(s, p, (size_t)(end - p), width, left, pad, "0x");
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            emit_padded(s, &c, 1, width, left, ' ', NULL);
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str)
                str = "(null)";
            emit_padded(s, str, strlen(str), width, left, ' ', NULL);
            break;
        }
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
