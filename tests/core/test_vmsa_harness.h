// Test harness for the VMSA core: descriptors in a plain map used as physical memory, a driver
// that answers the walk's READ and CAS requests (with a hook to change memory between the read
// and the CAS), and a fixture that builds translation tables for any granule.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

extern "C" {
#include "vmsa/desc.h"
#include "vmsa/fault.h"
#include "vmsa/params.h"
#include "vmsa/perms.h"
#include "vmsa/s2_params.h"
#include "vmsa/tlb.h"
#include "vmsa/tlbi.h"
#include "vmsa/walk.h"
#include "vmsa/walk_cache.h"
#include "a64/sysreg_bits.h"
#include "a64/vmsa_glue.h"
}

namespace vmsatest {

// Normal page / block leaves: valid, AF = 1, AttrIndx 0 (Normal WB in kMair).
constexpr uint64_t kPage = DESC_VALID | DESC_TYPE_PAGE | DESC_AF;
constexpr uint64_t kBlock = DESC_VALID | DESC_AF;
constexpr uint64_t kTable = DESC_VALID | DESC_TYPE_TABLE;

// MAIR: Attr0 Normal WB, Attr1 Device-nGnRnE, Attr2 Device-nGnRE, Attr3 Normal NC.
constexpr uint64_t kMair = 0x0000000044040000ull | MAIR_NORMAL_WB;
constexpr uint64_t kAttrDevice = 1ull << DESC_ATTRINDX_SHIFT;

// ID_AA64MMFR0_EL1 as the CPU resets it (A64_ID_AA64MMFR0_RESET, which vmsa tests do not
// include): PARange 48 bits, 16-bit ASIDs, mixed-endian, SNSMem, 4K/16K/64K granules.
constexpr uint64_t kMmfr0 =
    uint64_t{ID_AA64MMFR0_PARANGE_48} << ID_AA64MMFR0_PARANGE_SHIFT |
    uint64_t{ID_AA64MMFR0_ASIDBITS_16} << ID_AA64MMFR0_ASIDBITS_SHIFT |
    uint64_t{ID_AA64MMFR0_BIGEND_MIXED} << ID_AA64MMFR0_BIGEND_SHIFT |
    uint64_t{ID_AA64MMFR0_SNSMEM_YES} << ID_AA64MMFR0_SNSMEM_SHIFT |
    uint64_t{ID_AA64MMFR0_TGRAN16_YES} << ID_AA64MMFR0_TGRAN16_SHIFT;

inline vmsa_access acc(vmsa_acc_type t, bool unpriv = false, bool pan = false, uint8_t size = 0)
{
    vmsa_access a{};
    a.type = t;
    a.unpriv = unpriv;
    a.pan = pan;
    a.size = size;
    return a;
}

struct CasRecord {
    uint64_t addr, old_desc, new_desc, found;
};

// Physical memory of 8-byte words and the walk driver.
struct Mem {
    std::map<uint64_t, uint64_t> words;
    std::vector<uint64_t> reads;      // descriptor addresses read, in order
    std::vector<CasRecord> cas;       // CAS requests, in order
    // Called before each CAS is performed, with its index: may change memory (another agent).
    std::function<void(Mem &, const vmsa_req &, size_t)> before_cas;

    uint64_t &at(uint64_t pa) { return words[pa]; }
    uint64_t get(uint64_t pa) const
    {
        auto it = words.find(pa);
        return it == words.end() ? 0 : it->second;
    }

    vmsa_req run(vmsa_walk *w, vmsa_req r)
    {
        for (int guard = 0; guard < 64; guard++) {
            if (r.kind == VMSA_REQ_READ) {
                reads.push_back(r.addr);
                r = vmsa_walk_step(w, get(r.addr));
            } else if (r.kind == VMSA_REQ_CAS) {
                if (before_cas) before_cas(*this, r, cas.size());
                uint64_t found = get(r.addr);
                if (found == r.old_desc) words[r.addr] = r.new_desc;
                cas.push_back({r.addr, r.old_desc, r.new_desc, found});
                r = vmsa_walk_step(w, found);
            } else {
                return r;
            }
        }
        ADD_FAILURE() << "walk did not finish";
        return r;
    }
};

// The stage 2 descriptor slot for `ipa` at `level` (4KB granule) in `mem`, creating the Table
// descriptors above it in tables that `new_table` gives.
inline uint64_t s2_slot(Mem &mem, const vmsa_s2_params &p, uint64_t ipa, int level,
                        const std::function<uint64_t()> &new_table)
{
    uint64_t table = p.range.table_base;
    for (int l = p.range.start_level; l < level; l++) {
        uint64_t a = table + vmsa_level_index(&p.range, ipa, l) * 8;
        if (!(mem.get(a) & DESC_VALID))
            mem.at(a) = new_table() | DESC_VALID | DESC_TYPE_TABLE;
        table = mem.get(a) & desc_oa_mask(12);
    }
    return table + vmsa_level_index(&p.range, ipa, level) * 8;
}

// TG0 / TG1 encodings of each granule.
inline uint64_t tg0_of(unsigned granule)
{
    return granule == VMSA_GRANULE_4K ? TCR_TG0_4K : granule == VMSA_GRANULE_16K ? TCR_TG0_16K
                                                                                 : TCR_TG0_64K;
}
inline uint64_t tg1_of(unsigned granule)
{
    return granule == VMSA_GRANULE_4K ? TCR_TG1_4K : granule == VMSA_GRANULE_16K ? TCR_TG1_16K
                                                                                 : TCR_TG1_64K;
}

class VmsaFixture : public ::testing::Test {
protected:
    static constexpr uint64_t kTableArena = 0x40000000ull;  // tables are allocated from here
    static constexpr uint16_t kAsid = 0x42;

    Mem mem;
    vmsa_regs regs{};
    vmsa_params p{};
    vmsa_walk w{};
    uint64_t next_table = kTableArena;
    uint64_t root[2] = {0, 0};
    // Extra bits ORed into the Table descriptors created at each level (APTable, XNTable, ...).
    uint64_t table_bits[4] = {0, 0, 0, 0};

    // Granule and TxSZ of both ranges, IPS 48 bits, 16-bit ASIDs, ASID kAsid in TTBR0.
    void setup(unsigned granule = VMSA_GRANULE_4K, unsigned t0sz = 16, unsigned t1sz = 16,
               unsigned hafdbs = 2)
    {
        regs = {};
        regs.tcr = (uint64_t)t0sz << TCR_T0SZ_SHIFT | (uint64_t)t1sz << TCR_T1SZ_SHIFT |
                   tg0_of(granule) << TCR_TG0_SHIFT | tg1_of(granule) << TCR_TG1_SHIFT |
                   5ull << TCR_IPS_SHIFT | TCR_AS;
        regs.mair = kMair;
        regs.sctlr = SCTLR_M;
        regs.mmfr0 = kMmfr0;
        regs.mmfr1 = (uint64_t)hafdbs << ID_AA64MMFR1_HAFDBS_SHIFT;
        root[0] = alloc_table(granule);
        root[1] = alloc_table(granule);
        regs.ttbr0 = root[0] | (uint64_t)kAsid << TTBR_ASID_SHIFT;
        regs.ttbr1 = root[1];
        decode();
    }

    void decode() { vmsa_params_decode(&p, &regs); }
    void tcr_set(uint64_t bits) { regs.tcr |= bits; decode(); }
    void tcr_clear(uint64_t bits) { regs.tcr &= ~bits; decode(); }
    void set_ha_hd(bool ha, bool hd)
    {
        regs.tcr &= ~(TCR_HA | TCR_HD);
        if (ha) regs.tcr |= TCR_HA;
        if (hd) regs.tcr |= TCR_HD;
        decode();
    }

    uint64_t alloc_table(unsigned granule)
    {
        uint64_t size = 1ull << granule;
        next_table = (next_table + size - 1) & ~(size - 1);
        uint64_t t = next_table;
        next_table += size;
        return t;
    }

    const vmsa_range &range_of(uint64_t va) const { return p.range[vmsa_va_range_index(va)]; }

    // Address of the descriptor for `va` at `level`, creating Table descriptors above it.
    uint64_t slot(uint64_t va, int level)
    {
        const vmsa_range &r = range_of(va);
        uint64_t table = root[vmsa_va_range_index(va)];
        for (int l = r.start_level; l < level; l++) {
            uint64_t a = table + vmsa_level_index(&r, va, l) * 8;
            uint64_t d = mem.get(a);
            if (!(d & DESC_VALID) || !(d & DESC_TYPE_TABLE)) {
                d = alloc_table(r.granule) | kTable | table_bits[l];
                mem.at(a) = d;
            }
            table = d & desc_oa_mask(r.granule);
        }
        return table + vmsa_level_index(&r, va, level) * 8;
    }

    // Map `va` with the leaf descriptor `leaf` (OA and attributes) at `level`.
    uint64_t map(uint64_t va, int level, uint64_t leaf)
    {
        uint64_t a = slot(va, level);
        mem.at(a) = leaf;
        return a;
    }

    // Table descriptor address at `level` on the way to `va` (after map()).
    uint64_t table_desc_addr(uint64_t va, int level)
    {
        const vmsa_range &r = range_of(va);
        uint64_t table = root[vmsa_va_range_index(va)];
        for (int l = r.start_level; l < level; l++)
            table = mem.get(table + vmsa_level_index(&r, va, l) * 8) & desc_oa_mask(r.granule);
        return table + vmsa_level_index(&r, va, level) * 8;
    }

    vmsa_req walk(uint64_t va, const vmsa_access &a)
    {
        return mem.run(&w, vmsa_walk_start(&w, &p, va, &a));
    }

    // Expect a fault of `rule` with DFSC/IFSC `fsc`.
    static void expect_fault(const vmsa_req &r, vmsa_rule rule, unsigned fsc)
    {
        ASSERT_EQ(r.kind, VMSA_REQ_FAULT) << "expected " << vmsa_rule_name(rule);
        EXPECT_EQ(r.fault->rule, rule) << vmsa_rule_name(r.fault->rule);
        EXPECT_EQ(vmsa_fault_fsc(r.fault), fsc);
        EXPECT_EQ(r.fault->stage, 1);
        EXPECT_FALSE(r.fault->s1ptw);
    }

    static void expect_done(const vmsa_req &r)
    {
        ASSERT_EQ(r.kind, VMSA_REQ_DONE)
            << (r.kind == VMSA_REQ_FAULT ? vmsa_rule_name(r.fault->rule) : "");
    }
};

}  // namespace vmsatest
