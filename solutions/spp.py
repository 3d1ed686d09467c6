"""Reference for `spp`: spatial pyramid pooling (He et al., 2014) with F.adaptive_max_pool2d's bins.

Along an axis of n pixels, bin i of l covers [⌊i·n/l⌋, ⌈(i+1)·n/l⌉): the bins cover every pixel,
neighbouring bins overlap by one pixel where l does not divide n, and each is at least one pixel.
"""

import torch


def _bins(n, l):
    return [(i * n // l, -(-(i + 1) * n // l)) for i in range(l)]  # -(-a // b) is ⌈a / b⌉ in integers


def spatial_pyramid_pool(x, levels=(1, 2, 4)):
    N, C, H, W = x.shape
    pooled = []
    for l in levels:
        grid = torch.stack(
            [torch.stack([x[:, :, top:bottom, left:right].amax(dim=(-2, -1)) for left, right in _bins(W, l)], dim=-1)
             for top, bottom in _bins(H, l)],
            dim=-2,
        )  # (N, C, l, l)
        pooled.append(grid.reshape(N, C * l * l))  # flattened (C, l, l)
    return torch.cat(pooled, dim=1)  # (N, C·Σ l²), the levels in the order given
