"""Kata `spp`: spatial pyramid pooling, a fixed-length vector from a feature map of any size.

Implement it with slicing and reductions (`amax`, `max`): every `max_pool*` and
`adaptive_*pool*` routine is forbidden. Grade with `dlprep grade spp`.
"""

import torch


def spatial_pyramid_pool(x, levels=(1, 2, 4)):
    """Max-pool x into an l × l grid of bins for each level l, and concatenate (SPP-Net, He et al., 2014).

    The bins are F.adaptive_max_pool2d's: along an axis of n pixels, bin i (0 <= i < l) covers

        start = ⌊i·n / l⌋,   end = ⌈(i + 1)·n / l⌉      (end excluded)

    for the rows (n = H) and, separately, the columns (n = W). Neighbouring bins share a pixel
    where l does not divide n; a map smaller than the grid (n < l) follows the same formula.

    Args:
        x: (N, C, H, W), any H and W >= 1.
        levels: grid sizes, pooled and concatenated in the order given.

    Returns:
        (N, C·Σ l²): for each level, its (N, C, l, l) grid flattened in (C, l, l) order,
        the levels one after another.
    """
    raise NotImplementedError
