/* demo.elf: a short guided tour for scripts/demo.sh. It says what it does at each step: probes the
 * hypervisor through SMCCC (SMCCC_VERSION, PSCI_VERSION, the KVM vendor hypervisor UID); when pKVM
 * is there it asks for HYP_MEMINFO, enrols in the MMIO guard, maps one virtio-mmio page, reads the
 * virtio MagicValue, unmaps the page, shares and unshares one page of RAM; then powers off with
 * PSCI SYSTEM_OFF. On QEMU `virt` without EL2, QEMU's PSCI layer answers the vendor calls with
 * NOT_SUPPORTED (-1): the demo reports pKVM absent and only reads the device. */
#include "fw.h"

/* Where EL2 sets HCR_EL2.HCD, HVC is UNDEFINED at EL1: treat that as NOT_SUPPORTED. */
static int hvc_undef_handler(struct fw_frame *f)
{
    uint32_t insn = *(const uint32_t *)(uintptr_t)f->elr;
    if (ESR_EC(f->esr) == EC_UNKNOWN && (insn & 0xffe0001fu) == 0xd4000002u) { /* HVC #imm */
        f->x[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
        f->elr += 4;
        return 1;
    }
    return 0;
}

static const char *ret_name(int64_t r)
{
    switch (r) {
    case SMCCC_RET_SUCCESS: return "SUCCESS";
    case SMCCC_RET_NOT_SUPPORTED: return "NOT_SUPPORTED";
    case SMCCC_RET_INVALID_PARAMETER: return "INVALID_PARAMETER";
    default: return r > 0 ? "(a value)" : "(an error)";
    }
}

static int64_t call(const char *what, uint32_t fid, uint64_t a1)
{
    struct smccc_res r = smccc_hvc(fid, a1, 0, 0);
    int64_t ret = (int64_t)r.a0;
    printf("  %-22s (0x%08x, x1=0x%08lx) -> %ld %s\n", what, fid, (unsigned long)a1, (long)ret,
           ret_name(ret));
    return ret;
}

/* One protection granule of RAM to share with the host. */
static uint8_t shared_page[4096] __attribute__((aligned(4096)));

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fw_set_sync_handler(hvc_undef_handler);

    printf("httusim demo: hello from EL%lu, MMU off\n", (unsigned long)(read_sysreg(CurrentEL) >> 2));

    printf("step 1: probe the hypervisor (SMCCC over HVC #0)\n");
    int64_t v = (int64_t)smccc_hvc(SMCCC_VERSION, 0, 0, 0).a0;
    if (v < 0)
        printf("  SMCCC_VERSION -> %ld: SMCCC 1.0 (call not implemented)\n", (long)v);
    else
        printf("  SMCCC_VERSION -> %ld.%ld\n", (long)(v >> 16), (long)(v & 0xffff));
    uint32_t pv = psci_version();
    printf("  PSCI_VERSION  -> %u.%u\n", pv >> 16, pv & 0xffff);

    struct smccc_res uid = smccc_hvc(KVM_HYP_VENDOR_UID, 0, 0, 0);
    int pkvm = (uint32_t)uid.a0 == KVM_UID_0 && (uint32_t)uid.a1 == KVM_UID_1 &&
               (uint32_t)uid.a2 == KVM_UID_2 && (uint32_t)uid.a3 == KVM_UID_3;
    printf("  KVM vendor UID -> x0=0x%08x: pKVM %s\n", (uint32_t)uid.a0, pkvm ? "present" : "absent");

    uintptr_t virtio = FW_VIRTIO_BASE;
    if (pkvm) {
        printf("step 2: pKVM services\n");
        int64_t granule = call("HYP_MEMINFO", KVM_HYP_MEMINFO, 0);
        if (granule > 0)
            printf("  protection granule: %ld bytes\n", (long)granule);
        call("MMIO_GUARD_ENROLL", KVM_HYP_MMIO_GUARD_ENROLL, 0);
        call("MMIO_GUARD_MAP", KVM_HYP_MMIO_GUARD_MAP, virtio);
        uint32_t magic = mmio_read32(virtio);
        printf("  virtio MagicValue at 0x%08lx = 0x%08x (%s)\n", (unsigned long)virtio, magic,
               magic == FW_VIRTIO_MAGIC ? "\"virt\"" : "unexpected");
        call("MMIO_GUARD_UNMAP", KVM_HYP_MMIO_GUARD_UNMAP, virtio);
        shared_page[0] = 0x5a;
        call("MEM_SHARE", KVM_HYP_MEM_SHARE, (uintptr_t)shared_page);
        call("MEM_UNSHARE", KVM_HYP_MEM_UNSHARE, (uintptr_t)shared_page);
    } else {
        printf("step 2: no pKVM: no MMIO guard or memory sharing to ask for\n");
        uint32_t magic = mmio_read32(virtio);
        printf("  virtio MagicValue at 0x%08lx = 0x%08x (%s)\n", (unsigned long)virtio, magic,
               magic == FW_VIRTIO_MAGIC ? "\"virt\"" : "unexpected");
    }

    printf("step 3: PSCI SYSTEM_OFF\n");
    psci_system_off();
}
