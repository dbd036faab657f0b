// Test harness for the A64 core with the stage 1 MMU on: the A64Test CPU with L1 TLBs, 4KB
// translation tables built in the harness RAM, and an env.translate callback implemented here
// with its own functional walk (standing in for the platform's Mmu: it counts its calls, can be
// raced before each hardware-update CAS, and clears an exclusive reservation it overlaps).
#pragma once

#include "a64_harness.h"

#include <functional>
#include <vector>

extern "C" {
#include "a64/translate.h"
#include "a64/sysreg_bits.h"
#include "vmsa/desc.h"
#include "vmsa/walk.h"
}

class A64MmuTest : public A64Test {
protected:
    // Translation tables live in the top quarter of the harness RAM.
    static constexpr uint64_t kTables = kRamBase + 0xc0000;
    static constexpr uint64_t kTablesEnd = kRamBase + kRamSize;
    static constexpr uint16_t kAsid = 0x42;

    // MAIR: Attr0 Normal Write-Back, Attr1 Device-nGnRnE, Attr2 Normal Non-cacheable.
    static constexpr uint64_t kMair = 0x0000000000440000ull | MAIR_NORMAL_WB;
    static constexpr uint64_t kAttrNormal = 0ull << DESC_ATTRINDX_SHIFT;
    static constexpr uint64_t kAttrDevice = 1ull << DESC_ATTRINDX_SHIFT;
    static constexpr uint64_t kAttrNc = 2ull << DESC_ATTRINDX_SHIFT;
    static constexpr uint64_t kInnerShareable = 3ull << DESC_SH_SHIFT;

    // Leaves: valid, AF, Normal, Inner Shareable; EL1 read/write, EL0 none.
    static constexpr uint64_t kPage = DESC_VALID | DESC_TYPE_PAGE | DESC_AF | kAttrNormal |
                                      kInnerShareable;
    static constexpr uint64_t kBlock = DESC_VALID | DESC_AF | kAttrNormal | kInnerShareable;
    static constexpr uint64_t kTable = DESC_VALID | DESC_TYPE_TABLE;

    struct TranslateCall {
        uint64_t va;
        vmsa_acc_type type;
        unsigned flags;
    };

    a64_mmu mmu{};
    uint64_t next_table = kTables;
    uint64_t root0 = 0, root1 = 0;
    bool use_test_translate = true;
    std::vector<TranslateCall> translate_calls;
    unsigned cas_done = 0, cas_failed = 0;
    // Called before each CAS the test walker performs (it may change the descriptor).
    std::function<void(uint64_t addr, uint64_t old_desc, uint64_t new_desc)> before_cas;

    void SetUp() override
    {
        A64Test::SetUp();
        ASSERT_TRUE(a64_mmu_init(&mmu, 8, 4, 8, 4));
        cpu.cfg.mmu = &mmu;
        cpu.cfg.env.translate = &A64MmuTest::test_translate;
        std::memset(&ram[kTables - kRamBase], 0, kTablesEnd - kTables);
        root0 = alloc_table();
        root1 = alloc_table();
    }
    void TearDown() override { a64_mmu_destroy(&mmu); }

    uint64_t alloc_table()
    {
        uint64_t t = next_table;
        next_table += 0x1000;
        EXPECT_LE(next_table, kTablesEnd) << "out of table space";
        std::memset(&ram[t - kRamBase], 0, 0x1000);
        return t;
    }

    // 48-bit VA, 4KB granule in both ranges (start level 0), IPS 48 bits, 16-bit ASIDs,
    // ASID kAsid in TTBR0; `extra` adds HA, HD, EPD1, ...
    static uint64_t tcr(uint64_t extra = 0)
    {
        return (16ull << TCR_T0SZ_SHIFT) | (16ull << TCR_T1SZ_SHIFT) |
               (TCR_TG0_4K << TCR_TG0_SHIFT) | (TCR_TG1_4K << TCR_TG1_SHIFT) |
               (5ull << TCR_IPS_SHIFT) | TCR_AS | extra;
    }

    // Turn the MMU on as firmware would have (registers written directly, then the core told).
    // The code page and the vector page are identity-mapped, executable at EL1.
    void enable_mmu(uint64_t tcr_extra = 0)
    {
        map_page(kCode & ~0xfffull, kCode & ~0xfffull, kPage);
        map_page(kVectors, kVectors, kPage);
        map_page(kVectors + 0x1000, kVectors + 0x1000, kPage);
        cpu.sys.tcr_el1 = tcr(tcr_extra);
        cpu.sys.mair_el1 = kMair;
        cpu.sys.ttbr0_el1 = root0 | (uint64_t)kAsid << TTBR_ASID_SHIFT;
        cpu.sys.ttbr1_el1 = root1;
        cpu.sys.sctlr_el1 |= SCTLR_M;
        a64_mmu_regs_changed(&cpu);
    }
    void set_tcr(uint64_t tcr_extra)
    {
        cpu.sys.tcr_el1 = tcr(tcr_extra);
        a64_mmu_regs_changed(&cpu);
    }

    static unsigned index_of(uint64_t va, int level)
    {
        return (unsigned)((va >> (12 + 9 * (3 - level))) & 0x1ff);
    }

    // Address of the level-`level` descriptor for `va`, creating Table descriptors on the way
    // (with `table_bits` ORed into new ones).
    uint64_t slot(uint64_t va, int level, uint64_t table_bits = 0)
    {
        return slot_in(((va >> 55) & 1) ? root1 : root0, va, level, table_bits);
    }
    uint64_t slot_in(uint64_t root, uint64_t va, int level, uint64_t table_bits = 0)
    {
        uint64_t table = root;
        for (int l = 0; l < level; l++) {
            uint64_t a = table + index_of(va, l) * 8;
            uint64_t d = get64(a);
            if (!(d & DESC_VALID)) {
                d = alloc_table() | kTable | table_bits;
                put64(a, d);
            }
            table = d & DESC_OA_MASK_4K;
        }
        return table + index_of(va, level) * 8;
    }

    // Map the 4KB page at `va` to `pa` with leaf bits `leaf`; returns the descriptor address.
    uint64_t map_page(uint64_t va, uint64_t pa, uint64_t leaf)
    {
        uint64_t a = slot(va, 3);
        put64(a, (pa & DESC_OA_MASK_4K) | leaf);
        return a;
    }
    uint64_t map_page_in(uint64_t root, uint64_t va, uint64_t pa, uint64_t leaf)
    {
        uint64_t a = slot_in(root, va, 3);
        put64(a, (pa & DESC_OA_MASK_4K) | leaf);
        return a;
    }
    // A 2MB block at level 2 (leaf without DESC_TYPE_TABLE).
    uint64_t map_block2(uint64_t va, uint64_t pa, uint64_t leaf)
    {
        uint64_t a = slot(va, 2);
        put64(a, (pa & ~0x1fffffull & DESC_OA_MASK_4K) | leaf);
        return a;
    }

    uint64_t data_translations() const
    {
        uint64_t n = 0;
        for (const TranslateCall &c : translate_calls)
            n += c.type != VMSA_ACC_FETCH;
        return n;
    }

    // The platform MMU stand-in: a functional walk over the harness RAM.
    static bool test_translate(void *ctx, a64_cpu *c, const vmsa_params *p, uint64_t va,
                               const vmsa_access *acc, unsigned flags, vmsa_result *res,
                               a64_fault *fault)
    {
        auto *t = static_cast<A64MmuTest *>(static_cast<A64Test *>(ctx));
        t->translate_calls.push_back({va, acc->type, flags});
        if (!t->use_test_translate) {
            vmsa_fault vf;
            return a64_mmu_walk_functional(c, p, va, acc, !(flags & A64_XLATE_NO_UPDATE), res,
                                           fault, &vf);
        }
        vmsa_walk w;
        vmsa_req r = vmsa_walk_start(&w, p, va, acc);
        while (r.kind == VMSA_REQ_READ || r.kind == VMSA_REQ_CAS) {
            if (r.addr < kRamBase || r.addr + 8 > kRamBase + kRamSize) {
                *fault = a64_mmu_walk_external_abort(acc, va, r.level);
                return false;
            }
            uint64_t v;
            if (r.kind == VMSA_REQ_CAS) {
                if (flags & A64_XLATE_NO_UPDATE) {
                    v = r.old_desc;
                } else {
                    if (t->before_cas)
                        t->before_cas(r.addr, r.old_desc, r.new_desc);
                    v = t->get64(r.addr);
                    if (v == r.old_desc) {
                        t->put64(r.addr, r.new_desc);
                        t->cas_done++;
                        if (c->excl_valid && r.addr < c->excl_addr + c->excl_size &&
                            c->excl_addr < r.addr + 8)
                            c->excl_valid = false;
                    } else {
                        t->cas_failed++;
                    }
                }
            } else {
                v = t->get64(r.addr);
            }
            r = vmsa_walk_step(&w, v);
        }
        if (r.kind == VMSA_REQ_DONE) {
            *res = *r.result;
            return true;
        }
        *fault = vmsa_fault_to_a64(r.fault);
        return false;
    }
};
