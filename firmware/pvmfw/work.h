/* The boot flow's work (docs/pvmfw.md, "Boot flow"). Each step mixes what it produced into the
 * run's checksum, which depends only on the workload options (payload, scratch, write fraction,
 * requests, device pages touched), never on the policies, the platform or timers. */
#ifndef PVMFW_WORK_H
#define PVMFW_WORK_H

#include "pvmfw.h"

/* Before the MMU is on (the loader's part): fill the payload source image. */
void work_generate_payload(void);
/* After: */
void work_copy_payload(void);   /* copy into place, verify against the source's hash */
void work_probe_devices(void);  /* virtio-mmio registers of a few transports; PCIe window pages */
void work_device_tree(void);    /* build the blob, patch it, check it */
void work_secrets(void);        /* derive, use, zeroize, verify */
void work_scratch(void);        /* write --write-frac of the scratch pages */
void work_requests(void);       /* --requests virtio-style requests through bounce buffers */
uint64_t work_checksum(void);

/* Pages of the scratch region written by work_scratch (for the consistency checks). */
extern uint64_t work_scratch_written;

#endif
