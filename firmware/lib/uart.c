/* PL011 output: wait while the transmit FIFO is full, then write the data register. Only DR and FR
 * are touched (all httusim models); QEMU's PL011 transmits without any set-up. */
#include "fw.h"

void uart_putc(char c)
{
    while (mmio_read32(FW_UART_BASE + FW_UART_FR) & FW_UART_FR_TXFF) {
    }
    mmio_write32(FW_UART_BASE + FW_UART_DR, (uint8_t)c);
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

int puts(const char *s)
{
    uart_puts(s);
    uart_putc('\n');
    return 0;
}
