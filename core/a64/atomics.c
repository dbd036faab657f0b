/* STUB (to be replaced): LSE atomics and exclusives. */
#include "exec.h"
