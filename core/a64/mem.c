/* Data and instruction memory access for the A64 core.
 *
 * With SCTLR_EL1.M = 0 the output address equals the input address, data accesses are
 * Device-nGnRnE and instruction fetches Normal (ARM ARM D8.2.10). An unaligned data access to a
 * Device memory location takes an Alignment fault (B2.5.2); exclusives, atomics and
 * acquire/release accesses must always be aligned (B2.5.2, C3.2.x); SCTLR_EL1.A makes every
 * unaligned data access fault.
 */
#include "exec.h"

static bool raise_alignment(a64_cpu *cpu, uint64_t va, unsigned flags)
{
    a64_fault f = { .fsc = A64_FSC_ALIGNMENT, .write = (flags & A64_MEM_WRITE) != 0, .va = va,
                    .cache_maint = (flags & A64_MEM_CMO) != 0 };
    a64_take_abort(cpu, &f);
    return false;
}

static bool raise_external(a64_cpu *cpu, uint64_t va, unsigned flags)
{
    a64_fault f = { .fsc = A64_FSC_SYNC_EXTERNAL, .write = (flags & A64_MEM_WRITE) != 0, .va = va,
                    .cache_maint = (flags & A64_MEM_CMO) != 0 };
    a64_take_abort(cpu, &f);
    return false;
}

/* Physical address size from ID_AA64MMFR0_EL1.PARange (D17.2.64). */
static unsigned pa_size_bits(const a64_cpu *cpu)
{
    static const uint8_t bits[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
    return bits[cpu->sys.id_aa64mmfr0_el1 & 7];
}

/* With stage 1 disabled, an input address with bits set above the PA size takes an Address size
 * fault at level 0 (ARM ARM D8.2.10, AArch64.S1DisabledOutput). RAM hits never get here. */
static bool mmu_off_address_too_large(const a64_cpu *cpu, uint64_t va)
{
    return !(cpu->sys.sctlr_el1 & SCTLR_M) && (va >> pa_size_bits(cpu)) != 0;
}

static bool raise_address_size(a64_cpu *cpu, uint64_t va, unsigned flags, bool fetch)
{
    a64_fault f = { .fsc = A64_FSC_ADDR_SIZE, .write = (flags & A64_MEM_WRITE) != 0, .va = va,
                    .cache_maint = (flags & A64_MEM_CMO) != 0, .fetch = fetch };
    a64_take_abort(cpu, &f);
    return false;
}

bool a64_translate_data(a64_cpu *cpu, uint64_t va, unsigned size, unsigned flags, uint64_t *pa)
{
    bool unaligned = (va & (size - 1)) != 0 && !(flags & A64_MEM_CMO);
    if (A64_UNLIKELY(unaligned)) {
        bool mmu_off = !(cpu->sys.sctlr_el1 & SCTLR_M);
        /* MMU off: every data access is to Device memory, so any misalignment faults. */
        if ((flags & A64_MEM_ALIGN) || (cpu->sys.sctlr_el1 & SCTLR_A) || mmu_off)
            return raise_alignment(cpu, va, flags);
    }
    /* Stage 1 translation arrives with the MMU (issue 3); with M = 0, PA = VA. */
    *pa = va;
    return true;
}

bool a64_phys_load(a64_cpu *cpu, uint64_t pa, uint64_t va, unsigned size, unsigned flags,
                   uint64_t *out)
{
    uint8_t *p = a64_ram_ptr(cpu, pa, size);
    if (A64_LIKELY(p != NULL)) {
        uint64_t v = 0;
        memcpy(&v, p, size); /* little-endian host and guest (SCTLR_EL1.EE = 0) */
        *out = v;
        return true;
    }
    if (mmu_off_address_too_large(cpu, va))
        return raise_address_size(cpu, va, flags & ~A64_MEM_WRITE, false);
    if (cpu->env.phys_read && cpu->env.phys_read(cpu->env.ctx, pa, size, out) == A64_BUS_OK) {
        if (size < 8)
            *out &= (1ull << (size * 8)) - 1; /* a device may drive more bytes than asked for */
        return true;
    }
    return raise_external(cpu, va, flags & ~A64_MEM_WRITE);
}

bool a64_phys_store(a64_cpu *cpu, uint64_t pa, uint64_t va, unsigned size, unsigned flags,
                    uint64_t value)
{
    a64_monitor_note_store(cpu, pa, size);
    uint8_t *p = a64_ram_ptr(cpu, pa, size);
    if (A64_LIKELY(p != NULL)) {
        memcpy(p, &value, size);
        return true;
    }
    if (mmu_off_address_too_large(cpu, va))
        return raise_address_size(cpu, va, flags | A64_MEM_WRITE, false);
    if (cpu->env.phys_write && cpu->env.phys_write(cpu->env.ctx, pa, size, value) == A64_BUS_OK)
        return true;
    return raise_external(cpu, va, flags | A64_MEM_WRITE);
}

bool a64_load(a64_cpu *cpu, uint64_t va, unsigned size, unsigned flags, uint64_t *out)
{
    uint64_t pa;
    if (!a64_translate_data(cpu, va, size, flags, &pa))
        return false;
    return a64_phys_load(cpu, pa, va, size, flags, out);
}

bool a64_store(a64_cpu *cpu, uint64_t va, unsigned size, unsigned flags, uint64_t value)
{
    uint64_t pa;
    flags |= A64_MEM_WRITE;
    if (!a64_translate_data(cpu, va, size, flags, &pa))
        return false;
    return a64_phys_store(cpu, pa, va, size, flags, value);
}

bool a64_fetch(a64_cpu *cpu, uint32_t *insn)
{
    uint64_t pc = cpu->pc;
    /* PC alignment fault (ARM ARM D1.3.5): EC 0x22, FAR = the misaligned PC. */
    if (A64_UNLIKELY(pc & 3)) {
        a64_take_exception(cpu, a64_esr(A64_EC_PC_ALIGN, 0), pc, pc, true);
        return false;
    }
    uint8_t *p = a64_ram_ptr(cpu, pc, 4);
    if (A64_LIKELY(p != NULL)) {
        memcpy(insn, p, 4);
        return true;
    }
    if (mmu_off_address_too_large(cpu, pc))
        return raise_address_size(cpu, pc, 0, true);
    uint64_t v;
    if (cpu->env.phys_read && cpu->env.phys_read(cpu->env.ctx, pc, 4, &v) == A64_BUS_OK) {
        *insn = (uint32_t)v;
        return true;
    }
    a64_fault f = { .fsc = A64_FSC_SYNC_EXTERNAL, .fetch = true, .va = pc };
    a64_take_abort(cpu, &f);
    return false;
}

static bool debug_copy(a64_cpu *cpu, uint64_t va, void *buf, const void *src, uint64_t len)
{
    for (uint64_t i = 0; i < len; i++) {
        /* MMU off: identity. The MMU issue replaces this with a side-effect-free walk. */
        uint64_t pa = va + i;
        uint8_t *p = a64_ram_ptr(cpu, pa, 1);
        if (!p)
            return false;
        if (buf)
            ((uint8_t *)buf)[i] = *p;
        else
            *p = ((const uint8_t *)src)[i];
    }
    return true;
}

bool a64_debug_read(a64_cpu *cpu, uint64_t va, void *buf, uint64_t len)
{
    return debug_copy(cpu, va, buf, NULL, len);
}

bool a64_debug_write(a64_cpu *cpu, uint64_t va, const void *buf, uint64_t len)
{
    return debug_copy(cpu, va, NULL, buf, len);
}
