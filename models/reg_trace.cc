#include "reg_trace.h"

#include <cstring>

namespace httusim {

namespace {

char *put_text(char *p, const char *text)
{
    size_t n = std::strlen(text);
    std::memcpy(p, text, n);
    return p + n;
}

// `digits` lowercase hex digits of v, most significant first.
char *put_hex(char *p, uint64_t v, int digits)
{
    static const char kHex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i)
        *p++ = kHex[(v >> (4 * i)) & 0xf];
    return p;
}

} // namespace

size_t RegTraceWriter::format(const a64_cpu &cpu, char *buf)
{
    char *p = put_text(buf, "PC=");
    p = put_hex(p, cpu.pc, 16);
    char name[] = " X00=";
    for (unsigned r = 0; r < 31; ++r) {
        name[2] = static_cast<char>('0' + r / 10);
        name[3] = static_cast<char>('0' + r % 10);
        p = put_text(p, name);
        p = put_hex(p, cpu.x[r], 16);
    }
    p = put_text(p, " SP=");
    p = put_hex(p, a64_get_sp(&cpu), 16);
    p = put_text(p, " PSTATE=");
    p = put_hex(p, a64_pstate_to_spsr(&cpu), 8);
    *p++ = '\n';
    return static_cast<size_t>(p - buf);
}

void RegTraceWriter::write(const a64_cpu &cpu)
{
    char line[kLineMax];
    std::fwrite(line, 1, format(cpu, line), m_out);
}

} // namespace httusim
