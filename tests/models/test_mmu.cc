// Mmu + TableWalker testbench with a real Ram behind a real Interconnect: walks as timed TLM
// transactions, the L2 TLB and the walk cache, hardware Access flag and dirty updates by atomic
// CAS (including a CAS raced by a test hook), the exclusive monitor, TLBI, and the counters.
//
// Expected values come from the page-table layout and the ARM ARM, not from running the code:
// 4KB granule, 48-bit VA (TCR_EL1.T0SZ = 16) => start level 0, four lookups (D8.2, Table "4KB
// granule, ... start level"); Ram latency 20 ns for a read and 20 ns for a write, CPU clock 1 ns
// => a descriptor read costs 20 cycles and a hardware update (read-modify-write) 40.
#include "a64_encode.h"
#include "cas_extension.h"
#include "cli.h"
#include "interconnect.h"
#include "mmu.h"
#include "platform_bench.h"
#include "ram.h"
#include "stats_registry.h"
#include "tb_initiator.h"

extern "C" {
#include "a64/sysreg_bits.h"
#include "vmsa/desc.h"
}

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

using namespace httusim;

namespace {

constexpr uint64_t kRamBase = 0x40000000;
constexpr uint64_t kRamSize = 2ull << 20;
constexpr uint64_t kTables = kRamBase + 0x100000;   // translation tables from here
constexpr uint64_t kLatencyNs = 20;
constexpr uint16_t kAsid = 5;

constexpr uint64_t kMair = MAIR_NORMAL_WB | (uint64_t{MAIR_DEVICE_nGnRnE} << 8);
constexpr uint64_t kPage = DESC_VALID | DESC_TYPE_PAGE | DESC_AF | (3ull << DESC_SH_SHIFT);
constexpr uint64_t kTable = DESC_VALID | DESC_TYPE_TABLE;

// Two data VAs in the same 1GB region but different 2MB regions, and a third in A's 2MB.
constexpr uint64_t kVaA = 0x0000008040201000ull;
constexpr uint64_t kVaB = kVaA + (1ull << 21);
constexpr uint64_t kVaC = kVaA + 0x3000;
constexpr uint64_t kPaA = kRamBase + 0x10000;
constexpr uint64_t kPaB = kRamBase + 0x20000;
constexpr uint64_t kPaC = kRamBase + 0x30000;

// The Mmu with its walker bound to an Interconnect with one Ram, and an a64_cpu whose exclusive
// monitor the walker sees. Translations are asked directly, as the core would after an L1 miss.
struct MmuBench {
    RamConfig ram_cfg{kRamSize, sc_core::sc_time(double(kLatencyNs), sc_core::SC_NS),
                      sc_core::sc_time(double(kLatencyNs), sc_core::SC_NS)};
    std::unique_ptr<Ram> ram;
    std::unique_ptr<Interconnect> bus;
    std::unique_ptr<Mmu> mmu;
    std::unique_ptr<TbInitiator> tb;   // another bus initiator (software's accesses)
    a64_cpu cpu{};
    vmsa_params params{};
    uint64_t next_table = kTables;
    uint64_t root = 0;
    uint64_t tcr_extra = 0;

    explicit MmuBench(MmuConfig cfg = MmuConfig{})
    {
        ram = std::make_unique<Ram>("ram", ram_cfg);
        bus = std::make_unique<Interconnect>("bus");
        mmu = std::make_unique<Mmu>("mmu", cfg);
        tb = std::make_unique<TbInitiator>("tb");
        bus->map(ram->m_bus, {kRamBase, kRamSize}, "ram");
        mmu->m_walker.m_mem.bind(bus->m_from_initiators);
        tb->m_socket.bind(bus->m_from_initiators);
        sc_core::sc_start(sc_core::SC_ZERO_TIME);   // end of elaboration
        root = alloc_table();
        decode();
    }

    uint64_t get64(uint64_t pa) const
    {
        uint64_t v;
        std::memcpy(&v, ram->host() + (pa - kRamBase), 8);
        return v;
    }
    void put64(uint64_t pa, uint64_t v) { std::memcpy(ram->host() + (pa - kRamBase), &v, 8); }

    uint64_t alloc_table()
    {
        uint64_t t = next_table;
        next_table += 0x1000;
        std::memset(ram->host() + (t - kRamBase), 0, 0x1000);
        return t;
    }

    void decode()
    {
        vmsa_regs r{};
        r.sctlr = SCTLR_M;
        r.tcr = (16ull << 0) | (16ull << 16) | (2ull << 30) | (5ull << 32) | TCR_AS | tcr_extra;
        r.ttbr0 = root | uint64_t{kAsid} << TTBR_ASID_SHIFT;
        r.ttbr1 = 0;
        r.mair = kMair;
        r.mmfr0 = A64_ID_AA64MMFR0_RESET;
        r.mmfr1 = 2;   // HAFDBS = 2
        vmsa_params_decode(&params, &r);
    }
    void set_tcr(uint64_t extra)
    {
        tcr_extra = extra;
        decode();
    }

    static unsigned index_of(uint64_t va, int level)
    {
        return static_cast<unsigned>((va >> (12 + 9 * (3 - level))) & 0x1ff);
    }
    // Level-3 descriptor address of `va`, creating the Table descriptors of levels 0-2.
    uint64_t slot(uint64_t va, int level = 3)
    {
        uint64_t table = root;
        for (int l = 0; l < level; ++l) {
            uint64_t a = table + index_of(va, l) * 8;
            uint64_t d = get64(a);
            if (!(d & DESC_VALID)) {
                d = alloc_table() | kTable;
                put64(a, d);
            }
            table = d & DESC_OA_MASK_4K;
        }
        return table + index_of(va, level) * 8;
    }
    uint64_t map(uint64_t va, uint64_t pa, uint64_t leaf = kPage)
    {
        uint64_t a = slot(va);
        put64(a, pa | leaf);
        return a;
    }

    struct Result {
        bool ok;
        vmsa_result r;
        a64_fault f;
        sc_core::sc_time delay;
    };
    Result translate(uint64_t va, vmsa_acc_type type, unsigned flags = 0)
    {
        vmsa_access acc{};
        acc.type = type;
        acc.size = 8;
        Result res{};
        res.delay = sc_core::SC_ZERO_TIME;
        res.ok = mmu->translate(cpu, params, va, acc, flags, res.r, res.f, res.delay);
        return res;
    }
    const TableWalkerStats &walker() const { return mmu->walker_stats(); }
};

uint64_t ns(const sc_core::sc_time &t) { return static_cast<uint64_t>(t.to_seconds() * 1e9 + 0.5); }

} // namespace

// ---------------------------------------------------------------- walks and their cost

TEST(MmuTest, FourLevelWalkIsFourTimedDescriptorReads)
{
    MmuBench b;
    b.map(kVaA, kPaA);
    MmuBench::Result t = b.translate(kVaA + 0x123, VMSA_ACC_READ);
    ASSERT_TRUE(t.ok);
    EXPECT_EQ(t.r.pa, kPaA + 0x123);
    EXPECT_EQ(t.r.level, 3);
    EXPECT_EQ(b.walker().walks, 1u);
    EXPECT_EQ(b.walker().reads, 4u);                  // levels 0, 1, 2, 3
    EXPECT_EQ(b.walker().cycles, 4 * kLatencyNs);
    EXPECT_EQ(ns(t.delay), 4 * kLatencyNs);
    EXPECT_EQ(b.mmu->l2().misses, 1u);
    EXPECT_EQ(b.mmu->walk_cache().hits, 0u);
}

TEST(MmuTest, SecondTranslationHitsTheL2TlbWithoutReads)
{
    MmuBench b;
    b.map(kVaA, kPaA);
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);
    MmuBench::Result t = b.translate(kVaA + 8, VMSA_ACC_WRITE);
    ASSERT_TRUE(t.ok);
    EXPECT_EQ(t.r.pa, kPaA + 8);
    EXPECT_EQ(b.mmu->l2().hits, 1u);
    EXPECT_EQ(b.walker().walks, 1u);
    EXPECT_EQ(b.walker().reads, 4u);
    EXPECT_EQ(ns(t.delay), 0u);
}

TEST(MmuTest, WalkCacheResumesAtTheDeepestCachedLevel)
{
    MmuBench b;
    b.map(kVaA, kPaA);
    b.map(kVaB, kPaB);   // same level 0 and 1 entries as A, another level 2 entry
    b.map(kVaC, kPaC);   // same level 3 table as A
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);
    EXPECT_EQ(b.walker().reads, 4u);
    // B: the level 2 table is cached (reached through A's level 0 and 1 entries): reads at
    // levels 2 and 3.
    MmuBench::Result tb = b.translate(kVaB, VMSA_ACC_READ);
    ASSERT_TRUE(tb.ok);
    EXPECT_EQ(tb.r.pa, kPaB);
    EXPECT_EQ(b.walker().reads, 4u + 2u);
    EXPECT_EQ(ns(tb.delay), 2 * kLatencyNs);
    // C: A's level 3 table is cached: one read.
    MmuBench::Result tc = b.translate(kVaC, VMSA_ACC_READ);
    ASSERT_TRUE(tc.ok);
    EXPECT_EQ(tc.r.pa, kPaC);
    EXPECT_EQ(b.walker().reads, 4u + 2u + 1u);
    EXPECT_EQ(b.mmu->walk_cache().hits, 2u);
    EXPECT_EQ(b.walker().walks, 3u);
}

TEST(MmuTest, FaultsAreCountedByKindAndLevel)
{
    MmuBench b;
    b.map(kVaA, kPaA);
    MmuBench::Result t = b.translate(kVaA + (1ull << 21) * 3, VMSA_ACC_READ);   // no L2 entry
    ASSERT_FALSE(t.ok);
    EXPECT_EQ(t.f.fsc, 0x06);   // translation fault, level 2
    EXPECT_EQ(b.mmu->core().faults.kind[VMSA_FAULT_TRANSLATION], 1u);
    EXPECT_EQ(b.mmu->core().faults.level[VMSA_FAULT_TRANSLATION][2], 1u);
    b.map(kVaC, kPaC, kPage | DESC_AP2);   // read-only
    t = b.translate(kVaC, VMSA_ACC_WRITE);
    ASSERT_FALSE(t.ok);
    EXPECT_EQ(t.f.fsc, 0x0f);
    EXPECT_TRUE(t.f.write);
    EXPECT_EQ(b.mmu->core().faults.level[VMSA_FAULT_PERMISSION][3], 1u);
    // A faulting walk caches nothing; after a read caches the page, the L2 check of the next
    // write produces the fault (and counts it) without a walk.
    ASSERT_TRUE(b.translate(kVaC, VMSA_ACC_READ).ok);
    t = b.translate(kVaC, VMSA_ACC_WRITE);
    ASSERT_FALSE(t.ok);
    EXPECT_EQ(b.mmu->core().faults.kind[VMSA_FAULT_PERMISSION], 2u);
    EXPECT_EQ(b.walker().walks, 3u);
}

TEST(MmuTest, DescriptorOutsideMemoryIsAnExternalAbortOnTheWalk)
{
    MmuBench b;
    b.put64(b.root + MmuBench::index_of(kVaA, 0) * 8, 0x0000000200000000ull | kTable);
    MmuBench::Result t = b.translate(kVaA, VMSA_ACC_READ);
    ASSERT_FALSE(t.ok);
    EXPECT_EQ(t.f.fsc, 0x15);   // Synchronous External abort on the walk, level 1
}

// ---------------------------------------------------------------- hardware updates

TEST(MmuTest, HardwareAccessFlagIsSetByAnAtomicCas)
{
    MmuBench b;
    b.set_tcr(TCR_HA);
    uint64_t d = b.map(kVaA, kPaA, kPage & ~DESC_AF);
    MmuBench::Result t = b.translate(kVaA, VMSA_ACC_READ);
    ASSERT_TRUE(t.ok);
    EXPECT_EQ(b.get64(d), kPaA | kPage);   // AF set, nothing else changed
    EXPECT_EQ(b.walker().af_updates, 1u);
    EXPECT_EQ(b.walker().dirty_updates, 0u);
    EXPECT_EQ(ns(t.delay), 4 * kLatencyNs + 2 * kLatencyNs);   // 4 reads + read-modify-write
    EXPECT_EQ(b.walker().cycles, 6 * kLatencyNs);
}

TEST(MmuTest, HardwareDirtyStateClearsAp2OnAWrite)
{
    MmuBench b;
    b.set_tcr(TCR_HA | TCR_HD);
    uint64_t d = b.map(kVaA, kPaA, kPage | DESC_DBM | DESC_AP2);
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);   // cached writable-clean in L2
    EXPECT_EQ(b.get64(d) & DESC_AP2, DESC_AP2);
    MmuBench::Result t = b.translate(kVaA, VMSA_ACC_WRITE);   // L2 hit -> walk again -> CAS
    ASSERT_TRUE(t.ok);
    EXPECT_EQ(b.get64(d), kPaA | kPage | DESC_DBM);
    EXPECT_TRUE(t.r.dirty_updated);
    EXPECT_EQ(t.r.dirty, VMSA_DIRTY_DIRTY);
    EXPECT_EQ(b.walker().walks, 2u);
    EXPECT_EQ(b.walker().dirty_updates, 1u);
    EXPECT_EQ(b.mmu->l2().hits, 1u);
    // The L2 entry was overwritten in place as writable-dirty: the next write hits.
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_WRITE).ok);
    EXPECT_EQ(b.walker().walks, 2u);
}

TEST(MmuTest, CasRaceMakesTheWalkReevaluateTheNewDescriptor)
{
    MmuBench b;
    b.set_tcr(TCR_HA | TCR_HD);
    uint64_t d = b.map(kVaA, kPaA, kPage | DESC_DBM | DESC_AP2);
    // Between the walker's read and its CAS, software remaps the page (still writable-clean).
    int calls = 0;
    b.mmu->m_walker.set_before_cas([&](uint64_t addr, uint64_t old_desc, uint64_t new_desc) {
        EXPECT_EQ(addr, d);
        if (calls++ == 0) {
            EXPECT_EQ(old_desc, kPaA | kPage | DESC_DBM | DESC_AP2);
            EXPECT_EQ(new_desc, kPaA | kPage | DESC_DBM);
            b.tb->write(d, kPaB | kPage | DESC_DBM | DESC_AP2, 8);
        }
    });
    MmuBench::Result t = b.translate(kVaA + 0x10, VMSA_ACC_WRITE);
    ASSERT_TRUE(t.ok);
    EXPECT_EQ(calls, 2);                                   // the first CAS failed, one retry
    EXPECT_EQ(b.walker().cas_retries, 1u);
    EXPECT_EQ(t.r.pa, kPaB + 0x10);                        // the new descriptor's address
    EXPECT_EQ(b.get64(d), kPaB | kPage | DESC_DBM);        // ... made dirty
    EXPECT_EQ(b.walker().dirty_updates, 1u);
    EXPECT_EQ(b.walker().reads, 4u);                       // re-evaluated, not re-read
    EXPECT_EQ(ns(t.delay), 4 * kLatencyNs + 2 * 2 * kLatencyNs);   // two CASes
}

TEST(MmuTest, CasRaceWithSoftwareInvalidatingTheDescriptorFaults)
{
    MmuBench b;
    b.set_tcr(TCR_HA);
    uint64_t d = b.map(kVaA, kPaA, kPage & ~DESC_AF);
    b.mmu->m_walker.set_before_cas([&](uint64_t, uint64_t, uint64_t) { b.put64(d, 0); });
    MmuBench::Result t = b.translate(kVaA, VMSA_ACC_READ);
    ASSERT_FALSE(t.ok);
    EXPECT_EQ(t.f.fsc, 0x07);   // translation fault, level 3: the walk saw the invalid value
    EXPECT_EQ(b.walker().cas_retries, 1u);
    EXPECT_EQ(b.walker().af_updates, 0u);
    EXPECT_EQ(b.get64(d), 0u);
}

TEST(MmuTest, SuccessfulUpdateClearsAnExclusiveReservationOnTheDescriptor)
{
    MmuBench b;
    b.set_tcr(TCR_HA | TCR_HD);
    uint64_t d = b.map(kVaA, kPaA, kPage | DESC_DBM | DESC_AP2);
    // Firmware holds a reservation on the descriptor (LDXR), as when it re-cleans it.
    b.cpu.excl_valid = true;
    b.cpu.excl_addr = d;
    b.cpu.excl_size = 8;
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);   // no update: reservation kept
    EXPECT_TRUE(b.cpu.excl_valid);
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_WRITE).ok);  // the dirty update stores to it
    EXPECT_FALSE(b.cpu.excl_valid);                     // firmware's STXR will fail
}

TEST(MmuTest, FailedCasLeavesTheReservation)
{
    MmuBench b;
    b.set_tcr(TCR_HA | TCR_HD);
    uint64_t d = b.map(kVaA, kPaA, kPage | DESC_DBM | DESC_AP2);
    b.cpu.excl_valid = true;
    b.cpu.excl_addr = d;
    b.cpu.excl_size = 8;
    // Software makes the descriptor dirty itself before the walker's CAS: the CAS fails, the
    // walk finds nothing left to update, and the walker never stores.
    b.mmu->m_walker.set_before_cas([&](uint64_t, uint64_t, uint64_t) {
        b.put64(d, kPaA | kPage | DESC_DBM);
    });
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_WRITE).ok);
    EXPECT_EQ(b.walker().cas_retries, 1u);
    EXPECT_EQ(b.walker().dirty_updates, 0u);
    EXPECT_TRUE(b.cpu.excl_valid);
}

TEST(MmuTest, AtWalkUpdatesNothingAndFillsNoTlb)
{
    MmuBench b;
    b.set_tcr(TCR_HA | TCR_HD);
    uint64_t d = b.map(kVaA, kPaA, (kPage & ~DESC_AF) | DESC_DBM | DESC_AP2);
    MmuBench::Result t = b.translate(kVaA, VMSA_ACC_AT_WRITE, A64_XLATE_NO_UPDATE);
    ASSERT_TRUE(t.ok);
    EXPECT_EQ(t.r.pa, kPaA);
    EXPECT_EQ(b.get64(d), kPaA | (kPage & ~DESC_AF) | DESC_DBM | DESC_AP2);
    EXPECT_EQ(b.walker().af_updates + b.walker().dirty_updates, 0u);
    EXPECT_EQ(b.walker().walks, 1u);
    EXPECT_EQ(ns(t.delay), 4 * kLatencyNs);   // reads only, no CAS transaction
    EXPECT_EQ(b.mmu->l2().hits + b.mmu->l2().misses, 0u);
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);   // not cached: a walk (with an AF update)
    EXPECT_EQ(b.mmu->l2().misses, 1u);
    EXPECT_EQ(b.walker().af_updates, 1u);
}

// ---------------------------------------------------------------- histograms (docs/stats.md)

namespace {

uint64_t bucket_count(const Histogram &h, const std::string &label)
{
    for (const Histogram::Bucket &b : h.buckets())
        if (b.label == label)
            return b.count;
    ADD_FAILURE() << "no bucket " << label;
    return 0;
}

} // namespace

TEST(MmuHistogramTest, WalkLatencyAndReadsPerWalkHaveOneSamplePerWalk)
{
    // The walks of WalkCacheResumesAtTheDeepestCachedLevel: 4, 2 and 1 reads of 20 cycles.
    MmuBench b;
    b.map(kVaA, kPaA);
    b.map(kVaB, kPaB);
    b.map(kVaC, kPaC);
    for (uint64_t va : {kVaA, kVaB, kVaC})
        ASSERT_TRUE(b.translate(va, VMSA_ACC_READ).ok);
    const TableWalkerStats &w = b.walker();
    EXPECT_EQ(w.reads_per_walk.samples(), w.walks);
    EXPECT_EQ(w.reads_per_walk.sum(), w.reads);
    EXPECT_EQ(bucket_count(w.reads_per_walk, "4"), 1u);
    EXPECT_EQ(bucket_count(w.reads_per_walk, "2"), 1u);
    EXPECT_EQ(bucket_count(w.reads_per_walk, "1"), 1u);
    EXPECT_EQ(w.latency.samples(), w.walks);
    EXPECT_EQ(w.latency.sum(), w.cycles);
    EXPECT_EQ(bucket_count(w.latency, "64-127"), 1u);   // 80 cycles
    EXPECT_EQ(bucket_count(w.latency, "32-63"), 1u);    // 40
    EXPECT_EQ(bucket_count(w.latency, "16-31"), 1u);    // 20
    EXPECT_EQ(w.latency.min_value(), 1 * kLatencyNs);
    EXPECT_EQ(w.latency.max_value(), 4 * kLatencyNs);
}

TEST(MmuHistogramTest, CasRetriesHaveOneSamplePerWalkThatIssuedACas)
{
    MmuBench b;
    b.set_tcr(TCR_HA | TCR_HD);
    uint64_t d = b.map(kVaA, kPaA, kPage | DESC_DBM | DESC_AP2);
    b.map(kVaB, kPaB, kPage & ~DESC_AF);
    b.map(kVaC, kPaC);   // AF set, read: no update, no CAS
    int calls = 0;
    b.mmu->m_walker.set_before_cas([&](uint64_t addr, uint64_t, uint64_t) {
        if (addr == d && calls++ == 0)   // the first CAS on A's descriptor loses a race
            b.tb->write(d, kPaB | kPage | DESC_DBM | DESC_AP2, 8);
    });
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_WRITE).ok);   // dirty update after one retry
    ASSERT_TRUE(b.translate(kVaB, VMSA_ACC_READ).ok);    // AF update, no retry
    ASSERT_TRUE(b.translate(kVaC, VMSA_ACC_READ).ok);
    // An AT of a page with AF clear: the walk answers its CAS itself, with no transaction.
    const uint64_t va_d = kVaA + 0x5000;
    b.map(va_d, kPaC, kPage & ~DESC_AF);
    ASSERT_TRUE(b.translate(va_d, VMSA_ACC_AT_READ, A64_XLATE_NO_UPDATE).ok);
    const Histogram &h = b.walker().cas_retries_per_update;
    EXPECT_EQ(h.samples(), 2u);   // A and B; not C, not the AT
    EXPECT_EQ(h.sum(), b.walker().cas_retries);
    EXPECT_EQ(bucket_count(h, "0"), 1u);
    EXPECT_EQ(bucket_count(h, "1"), 1u);
}

TEST(MmuHistogramTest, FillSizesCountL2FillsByPageAndBlockSize)
{
    MmuBench b;
    b.map(kVaA, kPaA);
    // A 2MB block at level 2 for kVaB (its own 2MB region, D8.3 block descriptor).
    uint64_t block = b.slot(kVaB, 2);
    b.put64(block, (kRamBase & ~((1ull << 21) - 1)) | DESC_VALID | DESC_AF | (3ull << DESC_SH_SHIFT));
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);
    ASSERT_TRUE(b.translate(kVaB, VMSA_ACC_READ).ok);
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);   // an L2 hit: no fill
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_AT_READ, A64_XLATE_NO_UPDATE).ok);   // fills nothing
    ASSERT_FALSE(b.translate(kVaC + 0x10000, VMSA_ACC_READ).ok);   // a fault fills nothing
    StatsRegistry stats;
    b.mmu->register_stats(stats);
    const Histogram *fills = nullptr;
    for (const StatsRegistry::HistogramSample &h : stats.histograms())
        if (h.name == "mmu.tlb.l2.fill_size")
            fills = h.histogram;
    ASSERT_NE(fills, nullptr);
    EXPECT_EQ(fills->samples(), 2u);
    EXPECT_EQ(bucket_count(*fills, "4KiB"), 1u);
    EXPECT_EQ(bucket_count(*fills, "2MiB"), 1u);
    EXPECT_EQ(fills->overflows(), 0u);
}

// ---------------------------------------------------------------- TLBI

TEST(MmuTest, TlbiDropsL2EntriesAndWalkCacheEntries)
{
    MmuBench b;
    b.map(kVaA, kPaA);
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);
    vmsa_tlbi op{};

    // VALE1: last level only: the L2 entry goes, the walk cache stays (one read).
    op.op = VMSA_TLBI_VALE1;
    op.va = kVaA;
    op.asid = kAsid;
    b.mmu->tlbi(op);
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);
    EXPECT_EQ(b.walker().walks, 2u);
    EXPECT_EQ(b.walker().reads, 4u + 1u);

    // VAE1: the walk cache entries covering the VA go too (four reads).
    op.op = VMSA_TLBI_VAE1;
    b.mmu->tlbi(op);
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);
    EXPECT_EQ(b.walker().reads, 4u + 1u + 4u);

    // VMALLE1: everything.
    op = vmsa_tlbi{};
    op.op = VMSA_TLBI_VMALLE1;
    b.mmu->tlbi(op);
    ASSERT_TRUE(b.translate(kVaA, VMSA_ACC_READ).ok);
    EXPECT_EQ(b.walker().reads, 4u + 1u + 4u + 4u);
    EXPECT_EQ(b.mmu->l2().hits, 0u);
}

// ---------------------------------------------------------------- with the core's L1 TLB

TEST(MmuTest, L2HitAfterAnL1Eviction)
{
    MmuConfig cfg;
    cfg.l1d = {2, 2};   // one set of two ways
    MmuBench b(cfg);
    b.map(kVaA, kPaA);
    b.map(kVaB, kPaB);
    b.map(kVaC, kPaC);
    // The core side: its L1 TLB is the Mmu's core_state(); misses come back to the Mmu.
    b.cpu.cfg.mmu = b.mmu->core_state();
    b.cpu.cfg.env.ctx = &b;
    b.cpu.cfg.env.translate = [](void *ctx, a64_cpu *cpu, const vmsa_params *p, uint64_t va,
                             const vmsa_access *acc, unsigned flags, vmsa_result *res,
                             a64_fault *f) {
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        return static_cast<MmuBench *>(ctx)->mmu->translate(*cpu, *p, va, *acc, flags, *res, *f,
                                                            delay);
    };
    b.cpu.sys.sctlr_el1 = SCTLR_M;
    b.cpu.sys.tcr_el1 = (16ull << 0) | (16ull << 16) | (2ull << 30) | (5ull << 32) | TCR_AS;
    b.cpu.sys.ttbr0_el1 = b.root | uint64_t{kAsid} << TTBR_ASID_SHIFT;
    b.cpu.sys.mair_el1 = kMair;
    b.cpu.sys.id_aa64mmfr0_el1 = A64_ID_AA64MMFR0_RESET;
    b.cpu.sys.id_aa64mmfr1_el1 = 2;
    b.cpu.pstate.el = 1;
    a64_mmu_regs_changed(&b.cpu);

    vmsa_access acc{};
    acc.type = VMSA_ACC_READ;
    acc.size = 8;
    uint64_t pa = 0;
    a64_fault f{};
    for (uint64_t va : {kVaA, kVaB, kVaC}) {   // C evicts A (LRU) from the 2-entry L1
        ASSERT_TRUE(a64_mmu_translate(&b.cpu, va, &acc, false, &pa, &f));
    }
    const a64_mmu &l1 = b.mmu->core();
    EXPECT_EQ(l1.l1d.misses, 3u);
    EXPECT_EQ(l1.l1d.evictions, 1u);
    EXPECT_EQ(b.walker().walks, 3u);
    ASSERT_TRUE(a64_mmu_translate(&b.cpu, kVaA + 0x40, &acc, false, &pa, &f));
    EXPECT_EQ(pa, kPaA + 0x40);
    EXPECT_EQ(l1.l1d.misses, 4u);          // gone from L1 ...
    EXPECT_EQ(b.mmu->l2().hits, 1u);       // ... but still in L2
    EXPECT_EQ(b.walker().walks, 3u);       // no walk
    ASSERT_TRUE(a64_mmu_translate(&b.cpu, kVaA, &acc, false, &pa, &f));
    EXPECT_EQ(l1.l1d.hits, 1u);            // and back in L1
}

// ---------------------------------------------------------------- the CAS extension in Ram

TEST(MmuTest, RamPerformsTheCasExtensionInOneTransaction)
{
    MmuBench b;
    const uint64_t a = kRamBase + 0x8000;
    b.put64(a, 0x1111);
    auto cas = [&](uint64_t expected, uint64_t desired, sc_core::sc_time &delay) {
        CasExtension ext;
        ext.expected = expected;
        ext.desired = desired;
        uint64_t unused = 0;
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_IGNORE_COMMAND);
        t.set_address(a);
        t.set_data_ptr(reinterpret_cast<unsigned char *>(&unused));
        t.set_data_length(8);
        t.set_streaming_width(8);
        t.set_extension(&ext);
        b.tb->m_socket->b_transport(t, delay);
        t.clear_extension(&ext);
        EXPECT_TRUE(t.is_response_ok());
        EXPECT_TRUE(ext.performed);
        return ext.observed;
    };
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(cas(0x2222, 0x3333, delay), 0x1111u);   // mismatch: no store
    EXPECT_EQ(b.get64(a), 0x1111u);
    EXPECT_EQ(cas(0x1111, 0x4444, delay), 0x1111u);   // match: stored
    EXPECT_EQ(b.get64(a), 0x4444u);
    EXPECT_EQ(ns(delay), 2 * 2 * kLatencyNs);          // each a read plus a write
}

// ---------------------------------------------------------------- counters

TEST(MmuTest, RegistersEveryCounterOfDesignSection4)
{
    MmuBench b;
    StatsRegistry stats;
    b.mmu->register_stats(stats);
    std::vector<std::string> names = {
        "mmu.s1.walks", "mmu.s1.walk_reads", "mmu.s1.walk_cache_hits", "mmu.s1.walk_cycles",
        "mmu.s1.hw_updates.af", "mmu.s1.hw_updates.dirty", "mmu.s1.hw_updates.cas_retries",
        "mmu.s1.faults.alignment", "mmu.s1.walk_cache_cycles"};
    for (const char *tlb : {"l1i", "l1d", "l2"})
        for (const char *what : {"hits", "misses", "evictions", "cycles"})
            names.push_back(std::string("mmu.tlb.") + tlb + "." + what);
    for (const char *kind : {"translation", "access_flag", "permission", "address_size"}) {
        names.push_back(std::string("mmu.s1.faults.") + kind);
        for (int l = 0; l < 4; ++l)
            names.push_back(std::string("mmu.s1.faults.") + kind + ".l" + std::to_string(l));
    }
    for (const std::string &n : names)
        EXPECT_TRUE(stats.contains(n)) << n;
    size_t printed = 0;
    for (const auto &s : stats.samples())
        printed += s.name.rfind("mmu.", 0) == 0;
    EXPECT_EQ(printed, names.size());   // all printed, even at 0
}

TEST(MmuTest, BadGeometryIsRejected)
{
    MmuConfig cfg;
    cfg.l2 = {96, 4};   // 24 sets
    EXPECT_THROW(Mmu("mmu", cfg), std::invalid_argument);
}

// The command line's TLB options (usage errors are in test_cli).
TEST(MmuCliTest, TlbGeometryOptionsAreParsed)
{
    const char *argv[] = {"httusim", "--tlb-l1i=48:48", "--tlb-l1d=32:4", "--tlb-l2=1024:4",
                          "--walk-cache=16:16", "fw.elf"};
    httusim::CliResult r = httusim::parse_command_line(6, argv);
    ASSERT_EQ(r.action, httusim::CliAction::Run) << r.error;
    EXPECT_EQ(r.options.tlb_l1i.str(), "48:48");
    EXPECT_EQ(r.options.tlb_l1d.str(), "32:4");
    EXPECT_EQ(r.options.tlb_l2.str(), "1024:4");
    EXPECT_EQ(r.options.walk_cache.str(), "16:16");
    const char *defaults[] = {"httusim", "fw.elf"};
    r = httusim::parse_command_line(2, defaults);
    EXPECT_EQ(r.options.tlb_l1i.str(), "10:10");   // Cortex-A53 (docs/mmu.md)
    EXPECT_EQ(r.options.tlb_l1d.str(), "10:10");
    EXPECT_EQ(r.options.tlb_l2.str(), "512:4");
    EXPECT_EQ(r.options.walk_cache.str(), "64:4");
}

// ---------------------------------------------------------------- the whole platform

// The Cpu and the Mmu of the Platform: the MMU on (tables prepared by the testbench), one load,
// then PSCI SYSTEM_OFF. The walks' time is in the CPU's cycles.
TEST(MmuPlatformTest, WalkTimeIsChargedToTheCpu)
{
    using namespace a64enc;
    PlatformBench pb;
    pb.cfg.cpu.hold_in_reset = true;
    const uint64_t code = PlatformBench::kEntry, data = PlatformBench::kData;
    pb.build({ldr_x(1, 0, 0), movz(0, 0x8400, 1), movk(0, 0x0008), hvc(0), kBranchToSelf});
    httusim::Platform &top = *pb.top;
    // Tables at 0x40200000: level 0 -> 1 -> 2 -> 3, identity maps of the code and data pages
    // (same level 3 table).
    uint8_t *ram = top.m_ram.host();
    auto put = [&](uint64_t pa, uint64_t v) { std::memcpy(ram + (pa - kRamBase), &v, 8); };
    const uint64_t l0 = 0x40200000, l1 = l0 + 0x1000, l2 = l0 + 0x2000, l3 = l0 + 0x3000;
    put(l0 + MmuBench::index_of(code, 0) * 8, l1 | kTable);
    put(l1 + MmuBench::index_of(code, 1) * 8, l2 | kTable);
    put(l2 + MmuBench::index_of(code, 2) * 8, l3 | kTable);
    put(l3 + MmuBench::index_of(code, 3) * 8, code | kPage);
    put(l3 + MmuBench::index_of(data, 3) * 8, data | kPage);
    pb.store64(data, {0x5eed});
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    a64_cpu &cpu = pb.arch();
    cpu.x[0] = data;
    cpu.sys.tcr_el1 = (16ull << 0) | (16ull << 16) | (2ull << 30) | (5ull << 32);
    cpu.sys.ttbr0_el1 = l0;
    cpu.sys.mair_el1 = kMair;
    cpu.sys.sctlr_el1 |= SCTLR_M;
    a64_mmu_regs_changed(&cpu);
    top.m_cpu.release();
    const RunOutcome &o = pb.run();
    EXPECT_EQ(o.reason, "PSCI SYSTEM_OFF");
    EXPECT_EQ(cpu.x[1], 0x5eedu);
    const TableWalkerStats &w = top.m_mmu.walker_stats();
    EXPECT_EQ(w.walks, 2u);       // the code page (4 reads), the data page (walk cache: 1 read)
    EXPECT_EQ(w.reads, 5u);
    // The costs of timing.h applied by hand: LDR, MOVZ, MOVK (the HVC costs its round trip);
    // 4 fetches and 1 load looked up in L1, 2 misses looked up in L2 and the walk cache, 5
    // descriptor reads.
    const httusim::TimingConfig t;
    EXPECT_EQ(w.cycles, 5 * t.ram_read);
    EXPECT_EQ(top.m_cpu.cycles(), t.load + 2 * t.alu + t.hvc + 5 * t.tlb_l1 + 2 * t.tlb_l2 +
                                      2 * t.walk_cache + 5 * t.ram_read);
    EXPECT_EQ(top.m_mmu.core().l1i.misses, 1u);
    EXPECT_EQ(top.m_mmu.core().l1i.hits, 3u);
    EXPECT_EQ(top.m_mmu.core().l1d.misses, 1u);
}
