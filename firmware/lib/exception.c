/* C side of the exception vectors (vectors.S): dispatch synchronous exceptions to the handler a
 * test registered; report anything else and exit with FW_EXIT_UNEXPECTED_EXCEPTION. */
#include "fw.h"

volatile uint64_t fw_exception_count;
static fw_sync_handler_t sync_handler;

fw_sync_handler_t fw_set_sync_handler(fw_sync_handler_t handler)
{
    fw_sync_handler_t old = sync_handler;
    sync_handler = handler;
    return old;
}

static const char *const kind_source[4] = {"current EL SP0", "current EL SPx", "lower EL AArch64",
                                           "lower EL AArch32"};
static const char *const kind_type[4] = {"synchronous", "IRQ", "FIQ", "SError"};

void fw_dump_frame(const struct fw_frame *f)
{
    printf("  ESR=%016lx (EC=0x%02lx ISS=0x%07lx) FAR=%016lx\n", (unsigned long)f->esr,
           (unsigned long)ESR_EC(f->esr), (unsigned long)ESR_ISS(f->esr), (unsigned long)f->far);
    printf("  ELR=%016lx SPSR=%08lx SP=%016lx\n", (unsigned long)f->elr, (unsigned long)f->spsr,
           (unsigned long)f->sp);
    for (int i = 0; i < 31; i++)
        printf("  X%02d=%016lx%s", i, (unsigned long)f->x[i], (i % 4 == 3 || i == 30) ? "\n" : "");
}

void fw_exception_dispatch(struct fw_frame *f, uint64_t kind)
{
    fw_exception_count++;
    unsigned type = (unsigned)(kind & 3), source = (unsigned)((kind >> 2) & 3);
    if (type == FW_EXC_SYNC && sync_handler && sync_handler(f))
        return;
    printf("\nUNEXPECTED EXCEPTION: %s from %s\n", kind_type[type], kind_source[source]);
    fw_dump_frame(f);
    fw_exit(FW_EXIT_UNEXPECTED_EXCEPTION);
}
