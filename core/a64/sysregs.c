/* STUB (to be replaced): MRS/MSR. */
#include "exec.h"
