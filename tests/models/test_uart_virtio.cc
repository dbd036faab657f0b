// Device testbench: PL011 UART (PL011 TRM DDI 0183: UARTDR at 0x000, UARTFR at 0x018 with TXFE
// bit 7 and RXFE bit 4), virtio-mmio stubs (virtio 1.1 section 4.2.4, legacy layout:
// MagicValue 0x000 = 0x74726976, Version 0x004 = 1, DeviceID 0x008, VendorID 0x00c) and the
// empty PCIe window (reads all-ones).
#include "pcie_window.h"
#include "pl011_uart.h"
#include "tb_initiator.h"
#include "virtio_mmio_stub.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

using namespace httusim;

namespace {

std::string contents(std::FILE *f)
{
    std::fflush(f);
    std::rewind(f);
    std::string s;
    int c;
    while ((c = std::fgetc(f)) != EOF)
        s += static_cast<char>(c);
    return s;
}

} // namespace

TEST(UartTest, WritesToDataRegisterReachTheOutputStream)
{
    std::FILE *out = std::tmpfile();
    ASSERT_NE(out, nullptr);
    TbInitiator tb("tb");
    Pl011Uart uart("uart", Pl011UartConfig{out});
    tb.m_socket.bind(uart.m_bus);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);

    EXPECT_EQ(tb.write(0x000, 'O', 1), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(tb.write(0x000, 'k', 4), tlm::TLM_OK_RESPONSE);   // word write: low 8 bits
    EXPECT_EQ(tb.write(0x000, 0x10a, 4), tlm::TLM_OK_RESPONSE); // only bits [7:0] are data
    EXPECT_EQ(contents(out), "Ok\n");
    EXPECT_EQ(uart.tx_bytes(), 3u);
    std::fclose(out);
}

TEST(UartTest, FlagRegisterShowsTransmitEmptyAndReceiveEmpty)
{
    TbInitiator tb("tb");
    Pl011Uart uart("uart", Pl011UartConfig{stdout});
    tb.m_socket.bind(uart.m_bus);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);

    const uint64_t kTxfeRxfe = (1u << 7) | (1u << 4);
    EXPECT_EQ(tb.read(0x018, 4), kTxfeRxfe);
    EXPECT_EQ(tb.read(0x018, 1), kTxfeRxfe);
    EXPECT_EQ(tb.read(0x018, 2), kTxfeRxfe);
}

TEST(UartTest, OtherRegistersReadZeroAndIgnoreWrites)
{
    TbInitiator tb("tb");
    Pl011Uart uart("uart", Pl011UartConfig{stdout});
    tb.m_socket.bind(uart.m_bus);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);

    EXPECT_EQ(tb.write(0x030, 0x301, 4), tlm::TLM_OK_RESPONSE);   // UARTCR
    EXPECT_EQ(tb.read(0x030, 4), 0u);
    EXPECT_EQ(tb.read(0x024, 4), 0u);   // UARTIBRD
    EXPECT_EQ(tb.read(0x000, 4), 0u);   // DR: nothing received
    EXPECT_EQ(uart.tx_bytes(), 0u);
    tlm::tlm_response_status s;
    tb.read(0x1000, 4, &s);
    EXPECT_EQ(s, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST(VirtioStubTest, EveryTransportIdentifiesAsLegacyWithNoDevice)
{
    TbInitiator tb("tb");
    VirtioMmioStub virtio("virtio", VirtioMmioStubConfig{32, 0x200});
    tb.m_socket.bind(virtio.m_bus);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);

    for (unsigned n : {0u, 1u, 17u, 31u}) {
        uint64_t base = n * 0x200;
        EXPECT_EQ(tb.read(base + 0x000, 4), 0x74726976u) << n;
        EXPECT_EQ(tb.read(base + 0x004, 4), 1u) << n;
        EXPECT_EQ(tb.read(base + 0x008, 4), 0u) << n;
        EXPECT_EQ(tb.read(base + 0x00c, 4), 0x554d4551u) << n;
        EXPECT_EQ(tb.read(base + 0x070, 4), 0u) << n;   // Status
    }
    EXPECT_EQ(virtio.accesses(), 20u);
}

TEST(VirtioStubTest, MagicValueSpellsVirtBytewise)
{
    TbInitiator tb("tb");
    VirtioMmioStub virtio("virtio", VirtioMmioStubConfig{32, 0x200});
    tb.m_socket.bind(virtio.m_bus);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);

    std::string s;
    for (unsigned i = 0; i < 4; ++i)
        s += static_cast<char>(tb.read(0x200 + i, 1));
    EXPECT_EQ(s, "virt");
}

TEST(VirtioStubTest, WritesAreIgnoredButCounted)
{
    TbInitiator tb("tb");
    VirtioMmioStub virtio("virtio", VirtioMmioStubConfig{32, 0x200});
    tb.m_socket.bind(virtio.m_bus);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);

    EXPECT_EQ(tb.write(0x070, 0xf, 4), tlm::TLM_OK_RESPONSE);   // Status
    EXPECT_EQ(tb.write(0x000, 0, 4), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(tb.read(0x070, 4), 0u);
    EXPECT_EQ(tb.read(0x000, 4), 0x74726976u);
    EXPECT_EQ(virtio.accesses(), 4u);
    tlm::tlm_response_status s;
    tb.read(32 * 0x200, 4, &s);
    EXPECT_EQ(s, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST(PcieWindowTest, ReadsAllOnesAndIgnoresWrites)
{
    TbInitiator tb("tb");
    PcieWindow pcie("pcie", PcieWindowConfig{0x2eff0000});
    tb.m_socket.bind(pcie.m_bus);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);

    EXPECT_EQ(tb.write(0x1000, 0, 4), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(tb.read(0x1000, 4), 0xffffffffu);
    EXPECT_EQ(tb.read(0x2eff0000 - 8, 8), ~uint64_t{0});
    EXPECT_EQ(tb.read(3, 1), 0xffu);
    tlm::tlm_response_status s;
    tb.read(0x2eff0000, 4, &s);
    EXPECT_EQ(s, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(pcie.accesses(), 4u);
}
