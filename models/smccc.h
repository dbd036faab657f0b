// SMC Calling Convention (Arm DEN 0028, SMCCC 1.1) function IDs and return codes the platform
// answers: PSCI (Arm DEN 0022), the Arm architecture calls, and the Android pKVM vendor calls
// (numbering pinned in docs/hypervisor-abi.md).
#pragma once

#include <cstdint>

namespace httusim::smccc {

constexpr uint32_t kPsciVersion = 0x8400'0000;
constexpr uint32_t kPsciSystemOff = 0x8400'0008;
constexpr uint32_t kPsciSystemReset = 0x8400'0009;
constexpr uint32_t kSmcccVersion = 0x8000'0000;
constexpr uint32_t kSmcccArchFeatures = 0x8000'0001;
constexpr uint32_t kKvmFeatures = 0x8600'0000;
constexpr uint32_t kKvmUid = 0x8600'ff01;
constexpr uint32_t kHypMeminfo = 0xc600'0002;
constexpr uint32_t kMemShare = 0xc600'0003;
constexpr uint32_t kMemUnshare = 0xc600'0004;
constexpr uint32_t kMmioGuardInfo = 0xc600'0005;
constexpr uint32_t kMmioGuardEnroll = 0xc600'0006;
constexpr uint32_t kMmioGuardMap = 0xc600'0007;
constexpr uint32_t kMmioGuardUnmap = 0xc600'0008;

constexpr uint64_t kSuccess = 0;
constexpr uint64_t kNotSupported = static_cast<uint64_t>(-1);
constexpr uint64_t kInvalidParameter = static_cast<uint64_t>(-3);

constexpr uint64_t kPsciVersion1_1 = 0x0001'0001;    // major 1 in [31:16], minor 1 in [15:0]
constexpr uint64_t kSmcccVersion1_1 = 0x0001'0001;

// The KVM vendor hypervisor service UID (x0..x3), as Linux's ARM_SMCCC_VENDOR_HYP_UID_KVM.
constexpr uint64_t kKvmUidWords[4] = {0xb66fb428, 0xe911c52e, 0x564bcaa9, 0x743a004d};

constexpr uint64_t kGranule = 4096;   // pKVM protection and MMIO guard granule

} // namespace httusim::smccc
