// The C allocator's setting for the CLI's process: transparent huge pages for large ArrayBuffers.
// Node allocates every ArrayBuffer (the .pt file read whole, tensor storages, fold results) with glibc's
// malloc/calloc, and large ones get fresh mmapped memory whose pages the kernel maps one 4 KiB page at a time
// on first touch. On the virtual machines we measure on, such a fault costs ~5-10 us (shadow page tables):
// reading resnet50's 103 MB archive took 280 ms of system time, and the first user-space read of those bytes
// another ~120 ms; comparing the transformer's 12 identical layers (CSE, 312 MB) spent 415 ms faulting
// pages in. `glibc.malloc.hugetlb=1` makes malloc advise huge pages (madvise MADV_HUGEPAGE) for its mmapped
// chunks, so one fault maps 2 MiB: freeze CPU fell 249 -> 139 ms (resnet50) and 1018 -> 587 ms
// (transformer), load 373 -> 163 ms (resnet50). Where the kernel's transparent huge pages are off, or the C
// library is not glibc >= 2.35, the setting does nothing. PyTorch 2.x offers the same for its CPU allocator
// (THP_MEM_ALLOC_ENABLE=1); 1.13 does not, and docs/benchmarks.md reports both sides with and without it.
//
// glibc reads GLIBC_TUNABLES once, before any code runs, so the CLI sets it on its node command line:
// bin/tsfreeze.js's `#!/usr/bin/env -S` line puts ONE_SHOT_MALLOC_TUNABLES in front of the user's own
// GLIBC_TUNABLES (a later entry wins, so a user's `glibc.malloc.hugetlb=0` turns it off again).

/** The glibc tunables the CLI's process starts with. */
export const ONE_SHOT_MALLOC_TUNABLES = 'glibc.malloc.hugetlb=1';

/** `env` with ONE_SHOT_MALLOC_TUNABLES in front of its GLIBC_TUNABLES, for a child that must run as the CLI does. */
export function withOneShotMallocTunables(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, GLIBC_TUNABLES: `${ONE_SHOT_MALLOC_TUNABLES}:${env.GLIBC_TUNABLES ?? ''}` };
}

/** Whether this process was started with ONE_SHOT_MALLOC_TUNABLES (as the CLI's first line starts it). */
export function hasOneShotMallocTunables(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.GLIBC_TUNABLES ?? '').split(':').includes(ONE_SHOT_MALLOC_TUNABLES);
}
