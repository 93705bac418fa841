// Kernel table entries of the torchvision:: namespace (schemas from scripts/extract-schemas.py). The
// backward operators are training-only and refused (see refused.ts).

import { deformConv2d } from './torchvision-deform.js';
import { nms, psRoiAlign, psRoiPool, roiAlign, roiPool } from './torchvision.js';
import { boolArg, floatArg, intArg, tensorArg as T, type KernelTable } from './types.js';

/** The kernels of this file, keyed by schema name. */
export function torchvisionKernels(): KernelTable {
  return {
    'torchvision::nms': (a) => nms(T(a, 0), T(a, 1), floatArg(a, 2)),
    'torchvision::roi_align': (a) =>
      roiAlign(T(a, 0), T(a, 1), floatArg(a, 2), intArg(a, 3), intArg(a, 4), intArg(a, 5), boolArg(a, 6)),
    'torchvision::ps_roi_align': (a) =>
      psRoiAlign(T(a, 0), T(a, 1), floatArg(a, 2), intArg(a, 3), intArg(a, 4), intArg(a, 5)),
    'torchvision::roi_pool': (a) => roiPool(T(a, 0), T(a, 1), floatArg(a, 2), intArg(a, 3), intArg(a, 4)),
    'torchvision::ps_roi_pool': (a) =>
      psRoiPool(T(a, 0), T(a, 1), floatArg(a, 2), intArg(a, 3), intArg(a, 4)),
    'torchvision::deform_conv2d': (a) =>
      deformConv2d(T(a, 0), T(a, 1), T(a, 2), T(a, 3), T(a, 4), {
        stride: [intArg(a, 5), intArg(a, 6)],
        pad: [intArg(a, 7), intArg(a, 8)],
        dilation: [intArg(a, 9), intArg(a, 10)],
        groups: intArg(a, 11),
        offsetGroups: intArg(a, 12),
        useMask: boolArg(a, 13),
      }),
    // A CPU-only build of torchvision reports -1.
    'torchvision::_cuda_version': () => -1,
  };
}
