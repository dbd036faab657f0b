/* httusim firmware runtime: the small bare-metal library every firmware program links.
 *
 * Platform: QEMU `virt` compatible (see docs/firmware.md). The program is entered at EL1h with the
 * MMU off and DAIF masked; crt0 sets up a stack, zeroes .bss, installs the vector table, reads the
 * command line through semihosting and calls
 *
 *     int main(int argc, char **argv);
 *
 * whose return value becomes the semihosting SYS_EXIT status (and so the exit status of QEMU and
 * of httusim).
 *
 * With the MMU off every data access is to Device memory, where an unaligned access must fault:
 * everything here is built with -mstrict-align and the string functions only make aligned
 * accesses.
 */
#ifndef HTTUSIM_FW_H
#define HTTUSIM_FW_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- platform ------------------------------------------------------------------------------ */
#define FW_UART_BASE      0x09000000ul /* PL011 */
#define FW_UART_DR        0x000u
#define FW_UART_FR        0x018u
#define FW_UART_FR_TXFF   (1u << 5)
#define FW_VIRTIO_BASE    0x0a000000ul /* virtio-mmio transport 0 */
#define FW_VIRTIO_STRIDE  0x200ul
#define FW_VIRTIO_MAGIC   0x74726976u  /* "virt" */
#define FW_RAM_BASE       0x40000000ul

/* ---- MMIO helpers -------------------------------------------------------------------------- */
static inline uint32_t mmio_read32(uintptr_t addr) { return *(volatile uint32_t *)addr; }
static inline void mmio_write32(uintptr_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }

/* ---- system registers ---------------------------------------------------------------------- */
#define FW_STR_(x) #x
#define FW_STR(x) FW_STR_(x)
#define read_sysreg(reg) ({ uint64_t v_; __asm__ __volatile__("mrs %0, " FW_STR(reg) : "=r"(v_)); v_; })
#define write_sysreg(reg, v) __asm__ __volatile__("msr " FW_STR(reg) ", %0" :: "r"((uint64_t)(v)) : "memory")
static inline void isb(void) { __asm__ __volatile__("isb" ::: "memory"); }
static inline void dsb_sy(void) { __asm__ __volatile__("dsb sy" ::: "memory"); }

/* ---- console (PL011) ----------------------------------------------------------------------- */
void uart_putc(char c);
void uart_puts(const char *s); /* no newline added */

/* A tiny printf to the UART: %d %i %u %x %X %o %c %s %p %%, length modifiers l, ll, z, h, hh,
 * flags '-', '0', width and '*' width. Returns the number of characters written. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s); /* with a newline, like the C library */

/* ---- string functions (freestanding GCC still emits calls to the first four) --------------- */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* ---- semihosting (HLT #0xF000) ------------------------------------------------------------- */
enum {
    SEMI_SYS_OPEN = 0x01,
    SEMI_SYS_WRITEC = 0x03,
    SEMI_SYS_WRITE0 = 0x04,
    SEMI_SYS_WRITE = 0x05,
    SEMI_SYS_CLOCK = 0x10,
    SEMI_SYS_GET_CMDLINE = 0x15,
    SEMI_SYS_HEAPINFO = 0x16,
    SEMI_SYS_EXIT = 0x18,
    SEMI_SYS_EXIT_EXTENDED = 0x20,
    SEMI_SYS_ELAPSED = 0x30,
    SEMI_SYS_TICKFREQ = 0x31,
};
#define SEMI_ADP_STOPPED_APPLICATION_EXIT 0x20026ul

struct semi_heapinfo {
    uint64_t heap_base, heap_limit, stack_base, stack_limit;
};

int64_t semihost_call(uint32_t op, const void *arg);
void semihost_write0(const char *s);
int64_t semihost_get_cmdline(char *buf, size_t size); /* 0 on success, -1 on error */
int64_t semihost_heapinfo(struct semi_heapinfo *out);
int64_t semihost_clock(void);                          /* centiseconds since start, or -1 */
int64_t semihost_elapsed(uint64_t *ticks);             /* 0 on success */
int64_t semihost_tickfreq(void);
/* SYS_EXIT with ADP_Stopped_ApplicationExit and `status`; falls back to PSCI SYSTEM_OFF and then
 * to a WFI loop if the host does not stop the program. */
__attribute__((noreturn)) void semihost_exit(int status);
__attribute__((noreturn)) void fw_exit(int status); /* same as semihost_exit */

/* ---- SMCCC / PSCI (HVC #0) ----------------------------------------------------------------- */
struct smccc_res {
    uint64_t a0, a1, a2, a3;
};
struct smccc_res smccc_hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

#define SMCCC_VERSION            0x80000000u
#define SMCCC_ARCH_FEATURES      0x80000001u
#define PSCI_VERSION             0x84000000u
#define PSCI_SYSTEM_OFF          0x84000008u
#define PSCI_SYSTEM_RESET        0x84000009u
#define KVM_HYP_VENDOR_UID       0x8600ff01u
#define KVM_HYP_FEATURES         0x86000000u
#define KVM_HYP_MEMINFO          0xc6000002u
#define KVM_HYP_MEM_SHARE        0xc6000003u
#define KVM_HYP_MEM_UNSHARE      0xc6000004u
#define KVM_HYP_MMIO_GUARD_INFO  0xc6000005u
#define KVM_HYP_MMIO_GUARD_ENROLL 0xc6000006u
#define KVM_HYP_MMIO_GUARD_MAP   0xc6000007u
#define KVM_HYP_MMIO_GUARD_UNMAP 0xc6000008u
#define SMCCC_RET_SUCCESS        0
#define SMCCC_RET_NOT_SUPPORTED  (-1)
#define SMCCC_RET_INVALID_PARAMETER (-3)
/* UID words of the KVM vendor hypervisor service ("28b46fb6-2ec5-11e9-a9ca-4b564d003a74"). */
#define KVM_UID_0 0xb66fb428u
#define KVM_UID_1 0xe911c52eu
#define KVM_UID_2 0x564bcaa9u
#define KVM_UID_3 0x743a004du

uint32_t psci_version(void);
__attribute__((noreturn)) void psci_system_off(void);

/* ---- exceptions ---------------------------------------------------------------------------- */
/* The frame the vector stubs build on the stack. A handler may change x[], elr and spsr; they are
 * restored on return. `sp` is the interrupted SP (SP_EL0 for exceptions from EL0, restored on
 * return from those; for exceptions from EL1 it is informative only). */
struct fw_frame {
    uint64_t x[31];
    uint64_t sp;
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
};

/* Vector kinds: (source << 2) | type. source: 0 = current EL with SP0, 1 = current EL with SPx,
 * 2 = lower EL AArch64, 3 = lower EL AArch32; type: 0 sync, 1 IRQ, 2 FIQ, 3 SError. */
enum { FW_EXC_SYNC = 0, FW_EXC_IRQ = 1, FW_EXC_FIQ = 2, FW_EXC_SERROR = 3 };

/* A synchronous-exception handler returns nonzero when it handled the exception (execution resumes
 * at frame->elr with the frame's registers), zero to let the runtime report it and exit. */
typedef int (*fw_sync_handler_t)(struct fw_frame *frame);
fw_sync_handler_t fw_set_sync_handler(fw_sync_handler_t handler); /* returns the previous one */
/* Number of exceptions taken so far (all kinds). */
extern volatile uint64_t fw_exception_count;
/* Exit status used when an unexpected exception is reported. */
#define FW_EXIT_UNEXPECTED_EXCEPTION 99

#define ESR_EC(esr)   (((esr) >> 26) & 0x3fu)
#define ESR_IL        (1ul << 25)
#define ESR_ISS(esr)  ((esr) & 0x1ffffffu)
#define EC_UNKNOWN    0x00u
#define EC_SVC64      0x15u
#define EC_HVC64      0x16u
#define EC_SYS64      0x18u
#define EC_IABT_LOW   0x20u
#define EC_IABT_CUR   0x21u
#define EC_PC_ALIGN   0x22u
#define EC_DABT_LOW   0x24u
#define EC_DABT_CUR   0x25u
#define EC_SP_ALIGN   0x26u
#define EC_BRK64      0x3cu
#define ESR_DABT_WNR  (1u << 6)
#define ESR_DABT_FNV  (1u << 10)
#define ESR_DFSC(esr) ((esr) & 0x3fu)

void fw_dump_frame(const struct fw_frame *frame);

/* ---- startup ------------------------------------------------------------------------------- */
int main(int argc, char **argv);
extern char __heap_start[]; /* first byte after .bss and the stack (linker script) */
extern char __stack_top[];
extern char __vectors[];

#ifdef __cplusplus
}
#endif

#endif
