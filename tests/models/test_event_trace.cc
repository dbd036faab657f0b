// The event trace writer (models/event_trace.h, docs/trace.md): --trace-events parsing, the exact
// line of each event, and the Mmu/TableWalker events of a walk whose hardware update is raced
// (a CAS retry, which firmware runs on one PE never produce).
#include "event_trace.h"
#include "interconnect.h"
#include "mmu.h"
#include "ram.h"

extern "C" {
#include "a64/sysreg_bits.h"
#include "a64/vmsa_glue.h"
#include "vmsa/desc.h"
}

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using namespace httusim;

namespace {

// An EventTrace writing to a temporary file, read back as lines.
struct Capture {
    std::FILE *file = std::tmpfile();
    EventTrace trace;
    uint64_t cycle = 0;

    Capture()
    {
        trace.out = file;
        trace.clock = [](const void *ctx) { return *static_cast<const uint64_t *>(ctx); };
        trace.clock_ctx = &cycle;
    }
    ~Capture() { std::fclose(file); }

    std::vector<std::string> lines()
    {
        std::fflush(file);
        std::rewind(file);
        std::vector<std::string> out;
        char buf[512];
        while (std::fgets(buf, sizeof buf, file)) {
            std::string s = buf;
            if (!s.empty() && s.back() == '\n')
                s.pop_back();
            out.push_back(s);
        }
        return out;
    }
};

// A TLBI as the core decodes it (16-bit ASIDs).
vmsa_tlbi tlbi(uint32_t sysop, uint64_t xt)
{
    vmsa_tlbi op{};
    EXPECT_TRUE(a64_tlbi_decode(sysop, xt, true, &op));
    return op;
}

// The line without its cycle stamp.
std::string body(const std::string &line)
{
    return line.substr(line.find(' ') + 1);
}

TEST(EventTrace, ParsesEventLists)
{
    unsigned mask = 0;
    std::string why;
    ASSERT_TRUE(parse_trace_events("walk", mask, why));
    EXPECT_EQ(mask, unsigned{EventTrace::kWalk});
    ASSERT_TRUE(parse_trace_events("exception,fault,hw_update", mask, why));
    EXPECT_EQ(mask, unsigned{EventTrace::kException | EventTrace::kFault | EventTrace::kHwUpdate});
    ASSERT_TRUE(parse_trace_events("all", mask, why));
    EXPECT_EQ(mask, unsigned{EventTrace::kAll});
    ASSERT_TRUE(parse_trace_events("walk,fault,hw_update,hvc,tlbi,cmo,exception", mask, why));
    EXPECT_EQ(mask, unsigned{EventTrace::kAll});

    EXPECT_FALSE(parse_trace_events("walk,walks", mask, why));
    EXPECT_NE(why.find("'walks'"), std::string::npos) << why;
    EXPECT_EQ(why.find('\n'), std::string::npos);
    EXPECT_FALSE(parse_trace_events("", mask, why));
    EXPECT_FALSE(parse_trace_events("walk,", mask, why));
    EXPECT_FALSE(parse_trace_events("Walk", mask, why));
}

TEST(EventTrace, WantsNeedsAFileAndTheEvent)
{
    EventTrace t;
    EXPECT_FALSE(t.wants(EventTrace::kWalk));   // no file
    Capture c;
    c.trace.events = EventTrace::kFault;
    EXPECT_TRUE(c.trace.wants(EventTrace::kFault));
    EXPECT_FALSE(c.trace.wants(EventTrace::kWalk));
    EXPECT_TRUE(c.trace.wants(EventTrace::kWalk | EventTrace::kFault));
    c.cycle = 77;
    EXPECT_EQ(c.trace.now(), 77u);
}

TEST(EventTrace, HardwareUpdateLines)
{
    Capture c;
    const uint64_t clean = 0x0008000040095783ull;          // DBM, AF, AP[2]: writable-clean
    const uint64_t dirty = clean & ~DESC_AP2;
    const uint64_t no_af = clean & ~DESC_AF;
    c.trace.hw_update(10, 0x40095238, 0x400a14a8, clean, dirty, clean);
    c.trace.hw_update(11, 0x40095238, 0x400a14a8, no_af, clean, no_af);
    c.trace.hw_update(12, 0x40095238, 0x400a14a8, no_af, dirty, no_af);
    c.trace.hw_update(13, 0x40095238, 0x400a14a8, clean, dirty, clean | DESC_NG);
    auto l = c.lines();
    ASSERT_EQ(l.size(), 4u);
    EXPECT_EQ(l[0], "10 hw_update kind=dirty va=0x40095238 desc_pa=0x400a14a8 "
                    "old=0x0008000040095783 new=0x0008000040095703");
    EXPECT_EQ(l[1], "11 hw_update kind=af va=0x40095238 desc_pa=0x400a14a8 "
                    "old=0x0008000040095383 new=0x0008000040095783");
    EXPECT_EQ(l[2], "12 hw_update kind=af+dirty va=0x40095238 desc_pa=0x400a14a8 "
                    "old=0x0008000040095383 new=0x0008000040095703");
    EXPECT_EQ(l[3], "13 hw_update kind=cas_retry va=0x40095238 desc_pa=0x400a14a8 "
                    "old=0x0008000040095783 new=0x0008000040095703 found=0x0008000040095f83");
}

TEST(EventTrace, FaultAndExceptionLines)
{
    Capture c;
    a64_fault perm{};
    perm.fsc = A64_FSC_PERMISSION + 3;
    perm.rule = VMSA_RULE_PERM_WRITE_READONLY;
    perm.write = true;
    perm.va = 0x40096010;
    c.trace.fault(5, perm, 0x9600004f);
    a64_fault align{};
    align.fsc = A64_FSC_ALIGNMENT;
    align.va = 0x40000001;
    c.trace.fault(6, align, 0x96000021);
    a64_fault insn{};
    insn.fsc = A64_FSC_TRANSLATION + 1;
    insn.rule = VMSA_RULE_INVALID_DESC;
    insn.fetch = true;
    insn.va = 0x80000000;
    c.trace.fault(7, insn, 0x86000005);
    a64_fault ext{};
    ext.fsc = A64_FSC_SYNC_EXTERNAL_WALK + 2;
    ext.va = 0x1000;
    c.trace.fault(8, ext, 0x96000016);
    a64_fault device{};   // an MMU Alignment fault (Device memory): named by its rule, no level
    device.fsc = A64_FSC_ALIGNMENT;
    device.rule = VMSA_RULE_ALIGN_DEVICE;
    device.va = 0x9000003;
    c.trace.fault(9, device, 0x96000021);
    a64_fault mmu_off{};   // the CPU's own Address size fault (stage 1 off): no rule, level 0
    mmu_off.fsc = A64_FSC_ADDR_SIZE;
    mmu_off.va = uint64_t{1} << 48;
    c.trace.fault(9, mmu_off, 0x96000000);

    a64_event e{};
    e.kind = A64_EVENT_EXCEPTION;
    e.esr = 0x9600004f;
    e.elr = 0x40081528;
    e.far = 0x40096010;
    e.far_valid = true;
    e.from_el = 1;
    e.vector = 0x40080a00;
    c.trace.exception(9, e);
    e.esr = 0x56000000;   // SVC: no FAR
    e.far_valid = false;
    e.from_el = 0;
    e.vector = 0x40080c00;
    c.trace.exception(10, e);

    auto l = c.lines();
    ASSERT_EQ(l.size(), 8u);
    EXPECT_EQ(l[0], "5 fault kind=permission level=3 abort=data va=0x40096010 esr=0x9600004f");
    EXPECT_EQ(l[1], "6 fault kind=alignment abort=data va=0x40000001 esr=0x96000021");
    EXPECT_EQ(l[2], "7 fault kind=translation level=1 abort=insn va=0x80000000 esr=0x86000005");
    EXPECT_EQ(l[3], "8 fault kind=external_walk level=2 abort=data va=0x1000 esr=0x96000016");
    EXPECT_EQ(l[4], "9 fault kind=alignment abort=data va=0x9000003 esr=0x96000021");
    EXPECT_EQ(l[5], "9 fault kind=address_size level=0 abort=data va=0x1000000000000 "
                    "esr=0x96000000");
    EXPECT_EQ(l[6], "9 exception ec=0x25 esr=0x9600004f elr=0x40081528 far=0x40096010 from=el1 "
                    "vector=0x40080a00");
    EXPECT_EQ(l[7], "10 exception ec=0x15 esr=0x56000000 elr=0x40081528 from=el0 "
                    "vector=0x40080c00");
}

TEST(EventTrace, HvcTlbiAndCmoLines)
{
    Capture c;
    const uint64_t map_args[4] = {0xc6000007, 0x0a000000, 0, 0};
    const uint64_t ok[4] = {0, 0, 0, 0};
    c.trace.hvc(1, 0, "MMIO_GUARD_MAP", map_args, ok, true);
    const uint64_t unknown_args[4] = {0xc60000ff, 1, 2, 3};
    const uint64_t not_supported[4] = {~uint64_t{0}, 0, 0, 0};
    c.trace.hvc(2, 0, nullptr, unknown_args, not_supported, true);
    const uint64_t uid[4] = {0xb66fb428, 0, 0, 0};
    c.trace.hvc(3, 0, "KVM_UID", unknown_args, uid, true);
    const uint64_t off_args[4] = {0x84000008, 0, 0, 0};
    c.trace.hvc(4, 0, "PSCI_SYSTEM_OFF", off_args, off_args, false);
    c.trace.hvc(5, 7, nullptr, off_args, not_supported, true);

    c.trace.tlbi(6, tlbi(A64_SYSOP_TLBI_VMALLE1IS, 0), 0);
    c.trace.tlbi(7, tlbi(A64_SYSOP_TLBI_VALE1IS, (uint64_t{5} << 48) | 0x40096),
                 (uint64_t{5} << 48) | 0x40096);
    c.trace.tlbi(8, tlbi(A64_SYSOP_TLBI_VAAE1, (uint64_t{5} << 48) | 0x40096),
                 (uint64_t{5} << 48) | 0x40096);
    c.trace.tlbi(9, tlbi(A64_SYSOP_TLBI_ASIDE1, uint64_t{5} << 48), uint64_t{5} << 48);
    c.trace.cmo(10, A64_SYSOP_DC_CIVAC, "dc_civac", 0x4009a040, 0x4009a040);
    c.trace.cmo(11, A64_SYSOP_IC_IALLU, "ic_iallu", 0, 0);
    c.trace.cmo(12, A64_SYSOP_DC_CISW, "dc_cisw", 0x42, 0);

    auto l = c.lines();
    ASSERT_EQ(l.size(), 12u);
    EXPECT_EQ(l[0], "1 hvc fn=MMIO_GUARD_MAP fid=0xc6000007 args=0xa000000,0x0,0x0 ret=0");
    EXPECT_EQ(l[1], "2 hvc fn=unknown fid=0xc60000ff args=0x1,0x2,0x3 ret=-1");
    EXPECT_EQ(l[2], "3 hvc fn=KVM_UID fid=0xc60000ff args=0x1,0x2,0x3 ret=0xb66fb428");
    EXPECT_EQ(l[3], "4 hvc fn=PSCI_SYSTEM_OFF fid=0x84000008 args=0x0,0x0,0x0 ret=none");
    EXPECT_EQ(l[4], "5 hvc fn=unknown imm=0x7 fid=0x84000008 ret=-1");
    EXPECT_EQ(l[5], "6 tlbi op=VMALLE1IS");
    EXPECT_EQ(l[6], "7 tlbi op=VALE1IS operand=0x5000000040096 va=0x40096000 asid=5");
    EXPECT_EQ(l[7], "8 tlbi op=VAAE1 operand=0x5000000040096 va=0x40096000");
    EXPECT_EQ(l[8], "9 tlbi op=ASIDE1 operand=0x5000000000000 asid=5");
    EXPECT_EQ(l[9], "10 cmo op=dc_civac va=0x4009a040 pa=0x4009a040");
    EXPECT_EQ(l[10], "11 cmo op=ic_iallu");
    EXPECT_EQ(l[11], "12 cmo op=dc_cisw operand=0x42");
}

// ---- walks through the Mmu and its TableWalker ----------------------------------------------

constexpr uint64_t kRamBase = 0x40000000;
constexpr uint64_t kRamSize = 1ull << 20;
constexpr uint64_t kVa = 0x0000008040201000ull;
constexpr uint64_t kPa = kRamBase + 0x10000;
constexpr uint64_t kPage = DESC_VALID | DESC_TYPE_PAGE | DESC_AF | (3ull << DESC_SH_SHIFT);

struct WalkBench {
    Capture cap;
    std::unique_ptr<Ram> ram;
    std::unique_ptr<Interconnect> bus;
    std::unique_ptr<Mmu> mmu;
    a64_cpu cpu{};
    vmsa_params params{};
    uint64_t next_table = kRamBase + 0x80000;
    uint64_t root = 0;

    WalkBench()
    {
        RamConfig rc{kRamSize, sc_core::sc_time(20, sc_core::SC_NS),
                     sc_core::sc_time(20, sc_core::SC_NS)};
        MmuConfig mc;
        mc.events = &cap.trace;
        ram = std::make_unique<Ram>("ram", rc);
        bus = std::make_unique<Interconnect>("bus");
        mmu = std::make_unique<Mmu>("mmu", mc);
        bus->map(ram->m_bus, {kRamBase, kRamSize}, "ram");
        mmu->m_walker.m_mem.bind(bus->m_from_initiators);
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
        root = alloc_table();
        vmsa_regs r{};
        r.sctlr = SCTLR_M;
        r.tcr = (16ull << 0) | (16ull << 16) | (2ull << 30) | (5ull << 32) | TCR_HA | TCR_HD;
        r.ttbr0 = root;
        r.mair = MAIR_NORMAL_WB;
        r.mmfr0 = A64_ID_AA64MMFR0_RESET;
        r.mmfr1 = 2;
        vmsa_params_decode(&params, &r);
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
    uint64_t map(uint64_t va, uint64_t leaf)
    {
        uint64_t table = root;
        for (int l = 0; l < 3; ++l) {
            uint64_t a = table + ((va >> (12 + 9 * (3 - l))) & 0x1ff) * 8;
            uint64_t d = get64(a);
            if (!(d & DESC_VALID)) {
                d = alloc_table() | DESC_VALID | DESC_TYPE_TABLE;
                put64(a, d);
            }
            table = d & DESC_OA_MASK_4K;
        }
        uint64_t a = table + ((va >> 12) & 0x1ff) * 8;
        put64(a, leaf);
        return a;
    }
    bool translate(uint64_t va, vmsa_acc_type type)
    {
        vmsa_access acc{};
        acc.type = type;
        acc.size = 8;
        vmsa_result res{};
        a64_fault f{};
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        return mmu->translate(cpu, params, va, acc, 0, res, f, delay);
    }
};

TEST(EventTraceWalk, RacedDirtyUpdateGivesARetryThenTheUpdateThenTheWalk)
{
    WalkBench b;
    const uint64_t clean = kPa | kPage | DESC_DBM | DESC_AP2;
    const uint64_t d = b.map(kVa, clean);
    int cas_calls = 0;
    b.mmu->m_walker.set_before_cas([&](uint64_t, uint64_t, uint64_t) {
        if (cas_calls++ == 0)
            b.put64(d, clean | DESC_NG);   // software changes the descriptor first
    });
    b.cap.cycle = 1000;
    ASSERT_TRUE(b.translate(kVa + 0x238, VMSA_ACC_WRITE));
    EXPECT_EQ(b.get64(d), (clean | DESC_NG) & ~DESC_AP2);

    auto l = b.cap.lines();
    ASSERT_EQ(l.size(), 3u);
    char expect[3][256];
    std::snprintf(expect[0], sizeof expect[0],
                  "hw_update kind=cas_retry va=0x8040201238 desc_pa=0x%llx old=0x%016llx "
                  "new=0x%016llx found=0x%016llx",
                  (unsigned long long)d, (unsigned long long)clean,
                  (unsigned long long)(clean & ~DESC_AP2), (unsigned long long)(clean | DESC_NG));
    std::snprintf(expect[1], sizeof expect[1],
                  "hw_update kind=dirty va=0x8040201238 desc_pa=0x%llx old=0x%016llx "
                  "new=0x%016llx",
                  (unsigned long long)d, (unsigned long long)(clean | DESC_NG),
                  (unsigned long long)((clean | DESC_NG) & ~DESC_AP2));
    std::snprintf(expect[2], sizeof expect[2],
                  "walk va=0x8040201238 s=1 acc=write levels=4 result=ok pa=0x%llx level=3",
                  (unsigned long long)(kPa + 0x238));
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(body(l[i]), expect[i]);
    // Stamped at the CPU's cycle plus the walk time spent so far: increasing, after 1000.
    uint64_t c0 = std::stoull(l[0]), c1 = std::stoull(l[1]), c2 = std::stoull(l[2]);
    EXPECT_GT(c0, 1000u);
    EXPECT_GT(c1, c0);
    EXPECT_LE(c1, c2);
}

TEST(EventTraceWalk, FaultingWalkNamesTheRuleAndAWalkCacheHitReadsLess)
{
    WalkBench b;
    b.map(kVa, kPa | kPage);
    ASSERT_FALSE(b.translate(kVa + 0x1000, VMSA_ACC_READ));   // same level 3 table, invalid
    ASSERT_FALSE(b.translate(0x0000010000000000ull, VMSA_ACC_FETCH));   // level 0 entry invalid
    ASSERT_TRUE(b.translate(kVa, VMSA_ACC_READ));
    auto l = b.cap.lines();
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(body(l[0]), "walk va=0x8040202000 s=1 acc=read levels=4 result=fault "
                          "kind=translation level=3 rule=invalid_desc");
    EXPECT_EQ(body(l[1]), "walk va=0x10000000000 s=1 acc=fetch levels=1 result=fault "
                          "kind=translation level=0 rule=invalid_desc");
    // The walk cache holds the level 3 table from the first walk: one read.
    EXPECT_EQ(body(l[2]), "walk va=0x8040201000 s=1 acc=read levels=1 result=ok pa=0x40010000 "
                          "level=3");
}

TEST(EventTraceWalk, SelectedEventsOnly)
{
    WalkBench b;
    b.cap.trace.events = EventTrace::kHwUpdate;
    b.map(kVa, kPa | kPage | DESC_DBM | DESC_AP2);
    ASSERT_TRUE(b.translate(kVa, VMSA_ACC_WRITE));
    auto l = b.cap.lines();
    ASSERT_EQ(l.size(), 1u);
    EXPECT_EQ(body(l[0]).rfind("hw_update kind=dirty ", 0), 0u) << l[0];
}

} // namespace
