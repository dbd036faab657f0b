// Ram testbench: b_transport, debug transport and DMI, and that host memory is only committed
// when touched (MAP_NORESERVE).
#include "ram.h"
#include "tb_initiator.h"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <string>

using namespace httusim;

namespace {

struct RamBench {
    TbInitiator tb{"tb"};
    Ram ram;
    explicit RamBench(uint64_t size = 1 << 20) : ram("ram", RamConfig{size, {}, {}})
    {
        tb.m_socket.bind(ram.m_bus);
        sc_core::sc_start(sc_core::SC_ZERO_TIME);   // completes the binding
    }
};

// Resident set size of this process in KiB (/proc/self/status, VmRSS).
long resident_kib()
{
    std::ifstream in("/proc/self/status");
    std::string key;
    long value = -1;
    while (in >> key) {
        if (key == "VmRSS:") {
            in >> value;
            break;
        }
        in.ignore(1 << 16, '\n');
    }
    return value;
}

} // namespace

TEST(RamTest, StartsZeroed)
{
    RamBench b;
    tlm::tlm_response_status s;
    EXPECT_EQ(b.tb.read(0x1234 & ~7u, 8, &s), 0u);
    EXPECT_EQ(s, tlm::TLM_OK_RESPONSE);
}

TEST(RamTest, WriteThenReadBackEverySize)
{
    RamBench b;
    EXPECT_EQ(b.tb.write(0x100, 0x1122334455667788ull, 8), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(b.tb.read(0x100, 8), 0x1122334455667788ull);
    EXPECT_EQ(b.tb.read(0x100, 1), 0x88u);   // little-endian
    EXPECT_EQ(b.tb.read(0x102, 2), 0x5566u);
    EXPECT_EQ(b.tb.read(0x104, 4), 0x11223344u);
    EXPECT_EQ(b.ram.host()[0x107], 0x11);
}

TEST(RamTest, AccessPastTheEndIsAnAddressError)
{
    RamBench b(1 << 20);
    tlm::tlm_response_status s;
    b.tb.read((1 << 20) - 4, 8, &s);
    EXPECT_EQ(s, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.tb.write(1 << 20, 0, 1), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.tb.write((1 << 20) - 8, 0, 8), tlm::TLM_OK_RESPONSE);
}

TEST(RamTest, ByteEnablesAreRejected)
{
    RamBench b;
    uint32_t v = 0;
    unsigned char be[4] = {0xff, 0, 0xff, 0};
    EXPECT_EQ(b.tb.access(tlm::TLM_WRITE_COMMAND, 0, &v, 4, be),
              tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
}

TEST(RamTest, DmiCoversTheWholeRamAndSharesItsBytes)
{
    RamBench b(1 << 20);
    tlm::tlm_dmi dmi;
    ASSERT_TRUE(b.tb.dmi(0x2000, dmi));
    EXPECT_EQ(dmi.get_start_address(), 0u);
    EXPECT_EQ(dmi.get_end_address(), (1u << 20) - 1);
    EXPECT_TRUE(dmi.is_read_write_allowed());
    EXPECT_EQ(dmi.get_dmi_ptr(), b.ram.host());
    dmi.get_dmi_ptr()[0x40] = 0xab;
    EXPECT_EQ(b.tb.read(0x40, 1), 0xabu);
}

TEST(RamTest, DebugTransportReadsAndWrites)
{
    RamBench b;
    uint8_t in[3] = {1, 2, 3}, out[3] = {};
    EXPECT_EQ(b.tb.debug(tlm::TLM_WRITE_COMMAND, 0x10, in, 3), 3u);
    EXPECT_EQ(b.tb.debug(tlm::TLM_READ_COMMAND, 0x10, out, 3), 3u);
    EXPECT_EQ(out[2], 3);
}

TEST(RamTest, RejectsASizeThatIsNotAMultipleOf4KiB)
{
    EXPECT_THROW(Ram("ram", RamConfig{1000, {}, {}}), std::invalid_argument);
    EXPECT_THROW(Ram("ram0", RamConfig{0, {}, {}}), std::invalid_argument);
}

TEST(RamTest, HostMemoryIsCommittedOnlyWhenTouched)
{
    long before = resident_kib();
    ASSERT_GT(before, 0);
    Ram ram("ram", RamConfig{16ull << 30, {}, {}});   // 16 GiB of guest RAM
    ram.host()[0] = 1;
    ram.host()[(16ull << 30) - 1] = 1;
    long after = resident_kib();
    EXPECT_LT(after - before, 64 * 1024) << "RSS grew by " << (after - before) << " KiB";
}
