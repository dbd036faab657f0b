/* Random-instruction differential harness (docs/randinsn.md).
 *
 * main() fills the scratch buffer from the block's seed and turns the MMU on (identity map of
 * firmware/lib/pagetable.c: the image, and so the scratch buffer, is Normal write-back memory,
 * its last page read-only, where unaligned plain accesses are legal on both QEMU and httusim;
 * SCTLR_EL1.A = 0; no hardware Access flag or dirty updates) - unless the block asks for the MMU
 * off (ri_mmu_on = 0: every access is then Device memory, and gen.py keeps plain accesses
 * aligned). It runs the generated block once (ri_run) and prints, over the UART:
 * X0-X30, NZCV, the SP delta, the exception log and hashes of the scratch buffer. The run on
 * QEMU and on httusim must print the same text (tests/randinsn/randinsn.py compares them).
 *
 * The synchronous exception handler logs every exception taken inside the block (offset of ELR
 * from ri_block, the instruction word, ESR_EL1, and FAR_EL1 where the architecture defines it)
 * and skips the instruction (ELR += 4), or, for a PC alignment fault, resumes at the target with
 * bits 1:0 cleared. An exception outside the block is reported by the runtime (exit status 99).
 */
#include "fnv.h"
#include "fw.h"
#include "pagetable.h"
#include "randinsn.h"

uint8_t ri_scratch[RI_SCRATCH_SIZE] __attribute__((aligned(MMU_PAGE_SIZE)));

struct ri_log_entry {
    uint64_t offset, insn, esr, far;
};
static struct ri_log_entry ri_log[RI_LOG_MAX];
static uint64_t ri_log_count;

/* FAR_EL1 is valid for instruction aborts, PC alignment faults and data aborts with FnV = 0
 * (ARM ARM D17.2.40); for every other exception class it is UNKNOWN, so it is not compared. */
static int far_is_valid(uint64_t esr)
{
    switch (ESR_EC(esr)) {
    case EC_IABT_LOW:
    case EC_IABT_CUR:
    case EC_PC_ALIGN:
        return 1;
    case EC_DABT_LOW:
    case EC_DABT_CUR:
        return !(esr & ESR_DABT_FNV);
    default:
        return 0;
    }
}

static int ri_sync_handler(struct fw_frame *f)
{
    uint64_t start = (uint64_t)(uintptr_t)ri_block, end = (uint64_t)(uintptr_t)ri_block_end;
    int pc_alignment = ESR_EC(f->esr) == EC_PC_ALIGN;
    if (f->elr < start || f->elr >= end || ((f->elr & 3) && !pc_alignment))
        return 0;
    if (ri_log_count < RI_LOG_MAX) {
        struct ri_log_entry *e = &ri_log[ri_log_count];
        e->offset = f->elr - start;
        e->insn = *(const uint32_t *)(uintptr_t)(f->elr & ~3ull);
        e->esr = f->esr;
        e->far = far_is_valid(f->esr) ? f->far : 0;
    }
    ri_log_count++;
    /* A PC alignment fault (a BR/BLR/RET to target + 1..3, made by gen.py) resumes at the aligned
     * target, as if the branch had gone there; anything else skips the instruction. */
    f->elr = pc_alignment ? (f->elr & ~3ull) : f->elr + 4;
    return 1;
}

/* splitmix64: the scratch buffer's initial contents from the seed. */
static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void fill_scratch(uint64_t seed)
{
    uint64_t s = seed;
    uint64_t *w = (uint64_t *)ri_scratch;
    for (unsigned i = 0; i < RI_SCRATCH_SIZE / 8; i++) {
        uint64_t v = splitmix64(&s);
        /* a few special values among the random ones */
        switch (v & 15) {
        case 0: v = 0; break;
        case 1: v = ~0ull; break;
        case 2: v = 0x8000000000000000ull; break;
        case 3: v = 0x7fffffff80000000ull; break;
        default: break;
        }
        w[i] = v;
    }
}

static void print_state(const struct ri_state *s)
{
    for (int i = 0; i < 31; i++)
        printf("X%02d=%016lx%s", i, (unsigned long)s->x[i], (i % 4 == 3 || i == 30) ? "\n" : " ");
    printf("NZCV=%lx SPDELTA=%016lx\n", (unsigned long)(s->nzcv >> 28), (unsigned long)s->sp_delta);
}

static void print_log(void)
{
    printf("EXCEPTIONS %lu\n", (unsigned long)ri_log_count);
    for (uint64_t i = 0; i < ri_log_count && i < RI_LOG_MAX; i++) {
        const struct ri_log_entry *e = &ri_log[i];
        printf("EXC off=%05lx insn=%08lx esr=%08lx far=%016lx\n", (unsigned long)e->offset,
               (unsigned long)e->insn, (unsigned long)e->esr, (unsigned long)e->far);
    }
}

#define RI_HASH_CHUNK 1024

static void print_memory(void)
{
    printf("MEM %016lx\n", (unsigned long)fnv1a64(ri_scratch, RI_SCRATCH_SIZE));
    for (unsigned off = 0; off < RI_SCRATCH_SIZE; off += RI_HASH_CHUNK)
        printf("MEM+%04x %016lx\n", off, (unsigned long)fnv1a64(ri_scratch + off, RI_HASH_CHUNK));
}

static int enable_mmu(void);

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("RANDINSN seed=%lu insns=%lu mmu=%s scratch=%016lx block=%016lx\n",
           (unsigned long)ri_seed, (unsigned long)ri_insn_count, ri_mmu_on ? "on" : "off",
           (unsigned long)(uintptr_t)ri_scratch, (unsigned long)(uintptr_t)ri_block);
    fill_scratch(ri_seed);
    if (ri_mmu_on)
        if (enable_mmu() != 0)
            return 1;
    fw_set_sync_handler(ri_sync_handler);

    static struct ri_state state;
    state = ri_initial;
    ri_run(&state);

    fw_set_sync_handler(0);
    print_state(&state);
    print_log();
    print_memory();
    printf("RANDINSN END\n");
    return 0;
}

/* The identity map with the scratch buffer's last page read-only, MMU on. */
static int enable_mmu(void)
{
    mmu_init();
    /* the last page read-only: stores there take a Permission fault (MMU off: no TLBI needed) */
    uint64_t ro = (uint64_t)(uintptr_t)ri_scratch + RI_SCRATCH_RO;
    if (mmu_map(ro, ro, RI_SCRATCH_SIZE - RI_SCRATCH_RO, MMU_NORMAL | DESC_AF | MMU_RO,
                MMU_MAP_PAGES) != 0) {
        printf("randinsn: mmu_map failed\n");
        return 1;
    }
    mmu_enable(0); /* no TCR_EL1.HA/HD: AF = 1 everywhere, nothing to update */
    return 0;
}
