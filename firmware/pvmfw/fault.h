/* pvmfw's synchronous exception handler (registered with fw_set_sync_handler). */
#ifndef PVMFW_FAULT_H
#define PVMFW_FAULT_H

#include "pvmfw.h"

int pv_sync_handler(struct fw_frame *f);

#endif
