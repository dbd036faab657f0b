// CasExtension: an atomic 64-bit compare-and-swap carried by one TLM-2.0 transaction.
//
// The table walker's hardware update of a translation table descriptor (Access flag, dirty
// state) must be atomic with respect to every other agent's accesses to that descriptor (ARM ARM
// D8.5 "Hardware updates to the translation tables": the update is a single-copy atomic
// read-modify-write). It travels as one b_transport:
//
//   command      TLM_IGNORE_COMMAND (a target that does not know the extension does nothing and
//                answers OK, and `performed` stays false: the initiator treats that as an error,
//                so an unaware device is never written by mistake)
//   address      the descriptor's physical address, 8-byte aligned
//   data length  8 (the data pointer is unused)
//   extension    CasExtension{expected, desired}
//
// A target that supports it (Ram) in one step, with nothing in between: reads the 8 bytes
// (little-endian) into `observed`, stores `desired` if they equal `expected`, sets `performed`,
// and adds its read latency plus its write latency to the delay (a read-modify-write). The CAS
// succeeded when observed == expected.
#pragma once

#include <tlm>

#include <cstdint>

namespace httusim {

struct CasExtension : tlm::tlm_extension<CasExtension> {
    uint64_t expected = 0;
    uint64_t desired = 0;
    uint64_t observed = 0;    // set by the target: what memory held
    bool performed = false;   // set by the target that executed the CAS

    tlm::tlm_extension_base *clone() const override { return new CasExtension(*this); }
    void copy_from(const tlm::tlm_extension_base &other) override
    {
        *this = static_cast<const CasExtension &>(other);
    }
};

} // namespace httusim
