/* pKVM discovery and the hypervisor calls (hyp.h). */
#include "hyp.h"

static bool pkvm;
static volatile bool hvc_undefined;

bool hyp_pkvm(void) { return pkvm; }
bool hyp_undefined(void) { return hvc_undefined; }
void hyp_mark_undefined(void) { hvc_undefined = true; }

/* Feature bits (KVM_HYP_FEATURES: bit n = vendor function n) of the calls pvmfw needs. */
#define NEEDED_FEATURES ((1ull << (KVM_HYP_MEMINFO & 0xffff)) |        \
                         (1ull << (KVM_HYP_MEM_SHARE & 0xffff)) |      \
                         (1ull << (KVM_HYP_MEM_UNSHARE & 0xffff)) |    \
                         (1ull << (KVM_HYP_MMIO_GUARD_INFO & 0xffff)) | \
                         (1ull << (KVM_HYP_MMIO_GUARD_ENROLL & 0xffff)) | \
                         (1ull << (KVM_HYP_MMIO_GUARD_MAP & 0xffff)) |  \
                         (1ull << (KVM_HYP_MMIO_GUARD_UNMAP & 0xffff)))

static const char *call_name(uint32_t fid)
{
    switch (fid) {
    case KVM_HYP_MEMINFO: return "HYP_MEMINFO";
    case KVM_HYP_MEM_SHARE: return "MEM_SHARE";
    case KVM_HYP_MEM_UNSHARE: return "MEM_UNSHARE";
    case KVM_HYP_MMIO_GUARD_INFO: return "MMIO_GUARD_INFO";
    case KVM_HYP_MMIO_GUARD_ENROLL: return "MMIO_GUARD_ENROLL";
    case KVM_HYP_MMIO_GUARD_MAP: return "MMIO_GUARD_MAP";
    case KVM_HYP_MMIO_GUARD_UNMAP: return "MMIO_GUARD_UNMAP";
    default: return "HVC";
    }
}

/* A pKVM call that must succeed (x0 == expect); returns x1. */
static uint64_t pkvm_call(uint32_t fid, uint64_t a1, uint64_t a2, int64_t expect)
{
    struct smccc_res r = smccc_hvc(fid, a1, a2, 0);
    if ((int64_t)r.a0 != expect)
        pv_die(PV_EXIT_SETUP, "%s(0x%lx) returned %ld", call_name(fid), (unsigned long)a1,
               (long)(int64_t)r.a0);
    return r.a1;
}

void hyp_probe(void)
{
    struct smccc_res uid = smccc_hvc(KVM_HYP_VENDOR_UID, 0, 0, 0);
    pkvm = !hvc_undefined && (uint32_t)uid.a0 == KVM_UID_0 && (uint32_t)uid.a1 == KVM_UID_1 &&
           (uint32_t)uid.a2 == KVM_UID_2 && (uint32_t)uid.a3 == KVM_UID_3;
    if (!pkvm)
        return;
    uint64_t features = smccc_hvc(KVM_HYP_FEATURES, 0, 0, 0).a0;
    if ((features & NEEDED_FEATURES) != NEEDED_FEATURES)
        pv_die(PV_EXIT_SETUP, "pKVM lacks calls: KVM_HYP_FEATURES=0x%lx", (unsigned long)features);
    uint64_t granule = (uint64_t)smccc_hvc(KVM_HYP_MEMINFO, 0, 0, 0).a0;
    if (granule != PV_PAGE_SIZE)
        pv_die(PV_EXIT_SETUP, "HYP_MEMINFO: protection granule %ld, need 4096", (long)granule);
    granule = (uint64_t)smccc_hvc(KVM_HYP_MMIO_GUARD_INFO, 0, 0, 0).a0;
    if (granule != PV_PAGE_SIZE)
        pv_die(PV_EXIT_SETUP, "MMIO_GUARD_INFO: granule %ld, need 4096", (long)granule);
    pkvm_call(KVM_HYP_MMIO_GUARD_ENROLL, 0, 0, SMCCC_RET_SUCCESS);
}

void hyp_mmio_map(uint64_t ipa)
{
    pv_stats.mmio_map_hvcs++;
    if (pkvm)
        pkvm_call(KVM_HYP_MMIO_GUARD_MAP, ipa, 0, SMCCC_RET_SUCCESS);
}

void hyp_mmio_unmap(uint64_t ipa)
{
    pv_stats.mmio_unmap_hvcs++;
    if (pkvm)
        pkvm_call(KVM_HYP_MMIO_GUARD_UNMAP, ipa, 0, SMCCC_RET_SUCCESS);
}

/* One granule per call (x2 = 1): the count of calls is the count of granules. */
void hyp_mem_share(uint64_t ipa)
{
    pv_stats.share_hvcs++;
    if (pkvm && pkvm_call(KVM_HYP_MEM_SHARE, ipa, 1, SMCCC_RET_SUCCESS) != 1)
        pv_die(PV_EXIT_SETUP, "MEM_SHARE(0x%lx): granule not shared", (unsigned long)ipa);
}

void hyp_mem_unshare(uint64_t ipa)
{
    pv_stats.unshare_hvcs++;
    if (pkvm && pkvm_call(KVM_HYP_MEM_UNSHARE, ipa, 1, SMCCC_RET_SUCCESS) != 1)
        pv_die(PV_EXIT_SETUP, "MEM_UNSHARE(0x%lx): granule not unshared", (unsigned long)ipa);
}

/* PSCI SYSTEM_OFF ends the run with status 0 (QEMU and httusim). When it returns (HVC UNDEFINED,
 * or a status to report), semihosting SYS_EXIT carries the status. */
void hyp_system_off(int status)
{
    if (status == 0)
        smccc_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
    fw_exit(status);
}
