/* LD_PRELOAD shim for scripts/zoo/counts_no_reuse.py: free() does nothing, so no heap address is reused
   while PyTorch freezes one module (the process leaks that memory and exits). */
#include <stddef.h>
void free(void *p) { (void)p; }
