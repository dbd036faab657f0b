// Interconnect testbench: decoding by the address map with target-relative addresses, address
// errors for holes and for accesses that run past a target, DMI forwarding and translation in
// both directions, and overlap detection.
#include "interconnect.h"
#include "ram.h"
#include "tb_initiator.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_target_socket.h>

#include <stdexcept>

using namespace httusim;

namespace {

// A target that records the (local) addresses it sees and can invalidate DMI.
struct RecordingTarget : sc_core::sc_module {
    tlm_utils::simple_target_socket<RecordingTarget> m_bus;
    std::vector<uint64_t> m_addresses;

    explicit RecordingTarget(sc_core::sc_module_name name) : sc_module(name), m_bus("bus")
    {
        m_bus.register_b_transport(this, &RecordingTarget::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &)
    {
        m_addresses.push_back(t.get_address());
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    void invalidate(uint64_t start, uint64_t end) { m_bus->invalidate_direct_mem_ptr(start, end); }
};

constexpr uint64_t kRamBase = 0x40000000;
constexpr uint64_t kRamSize = 1 << 20;
constexpr uint64_t kDevBase = 0x09000000;
constexpr uint64_t kDevSize = 0x1000;

struct BusBench {
    TbInitiator tb{"tb"};
    Interconnect bus{"bus"};
    Ram ram{"ram", RamConfig{kRamSize, {}, {}}};
    RecordingTarget dev{"dev"};
    BusBench()
    {
        tb.m_socket.bind(bus.m_from_initiators);
        bus.map(ram.m_bus, {kRamBase, kRamSize}, "ram");
        bus.map(dev.m_bus, {kDevBase, kDevSize}, "dev");
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }
};

} // namespace

TEST(InterconnectTest, RoutesByAddressAndHandsTargetsLocalAddresses)
{
    BusBench b;
    EXPECT_EQ(b.tb.write(kRamBase + 0x1000, 0xdeadbeef, 4), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(b.ram.host()[0x1000], 0xef);
    EXPECT_EQ(b.tb.read(kRamBase + 0x1000, 4), 0xdeadbeefu);
    b.tb.read(kDevBase + 0x18, 4);
    ASSERT_EQ(b.dev.m_addresses.size(), 1u);
    EXPECT_EQ(b.dev.m_addresses[0], 0x18u);
}

TEST(InterconnectTest, HoleIsAnAddressErrorAndCounted)
{
    BusBench b;
    tlm::tlm_response_status s;
    b.tb.read(0x08000000, 4, &s);
    EXPECT_EQ(s, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.tb.write(kRamBase + kRamSize, 0, 8), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.tb.write(0, 0, 1), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.bus.address_errors(), 3u);
    EXPECT_TRUE(b.dev.m_addresses.empty());
}

TEST(InterconnectTest, AccessRunningPastTheEndOfATargetIsAnAddressError)
{
    BusBench b;
    EXPECT_EQ(b.tb.write(kRamBase + kRamSize - 4, 0, 8), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.tb.write(kRamBase + kRamSize - 8, 0, 8), tlm::TLM_OK_RESPONSE);
}

TEST(InterconnectTest, DmiIsForwardedAndTranslatedToInitiatorAddresses)
{
    BusBench b;
    tlm::tlm_dmi dmi;
    ASSERT_TRUE(b.tb.dmi(kRamBase + 0x3000, dmi));
    EXPECT_EQ(dmi.get_start_address(), kRamBase);
    EXPECT_EQ(dmi.get_end_address(), kRamBase + kRamSize - 1);
    EXPECT_EQ(dmi.get_dmi_ptr(), b.ram.host());
    EXPECT_TRUE(dmi.is_read_write_allowed());

    tlm::tlm_dmi none;
    EXPECT_FALSE(b.tb.dmi(0x08000000, none));   // a hole
    EXPECT_FALSE(b.tb.dmi(kDevBase, none));     // a target without DMI
}

TEST(InterconnectTest, DmiInvalidationIsTranslatedBackToInitiatorAddresses)
{
    BusBench b;
    b.dev.invalidate(0x100, 0x1ff);
    ASSERT_EQ(b.tb.m_invalidations.size(), 1u);
    EXPECT_EQ(b.tb.m_invalidations[0].first, kDevBase + 0x100);
    EXPECT_EQ(b.tb.m_invalidations[0].second, kDevBase + 0x1ff);
    b.dev.invalidate(0, ~uint64_t{0});   // "everything" is clipped to the target's range
    ASSERT_EQ(b.tb.m_invalidations.size(), 2u);
    EXPECT_EQ(b.tb.m_invalidations[1].first, kDevBase);
    EXPECT_EQ(b.tb.m_invalidations[1].second, kDevBase + kDevSize - 1);
}

TEST(InterconnectTest, DebugTransportIsForwarded)
{
    BusBench b;
    uint32_t v = 0x01020304, r = 0;
    EXPECT_EQ(b.tb.debug(tlm::TLM_WRITE_COMMAND, kRamBase + 0x20, &v, 4), 4u);
    EXPECT_EQ(b.tb.debug(tlm::TLM_READ_COMMAND, kRamBase + 0x20, &r, 4), 4u);
    EXPECT_EQ(r, v);
    EXPECT_EQ(b.tb.debug(tlm::TLM_READ_COMMAND, 0x08000000, &r, 4), 0u);
}

TEST(InterconnectTest, OverlappingRangesAreRefusedNamingBoth)
{
    Interconnect bus("bus");
    Ram a("a", RamConfig{0x2000, {}, {}});
    Ram c("c", RamConfig{0x2000, {}, {}});
    bus.map(a.m_bus, {0x1000, 0x2000}, "first");
    try {
        bus.map(c.m_bus, {0x2000, 0x2000}, "second");
        FAIL() << "overlap accepted";
    } catch (const std::invalid_argument &e) {
        std::string m = e.what();
        EXPECT_NE(m.find("first"), std::string::npos) << m;
        EXPECT_NE(m.find("second"), std::string::npos) << m;
    }
}
