"""Mistakes interviewers see in spatial pyramid pooling."""

import torch

from dlprep.grading.spec import mistake


def _adaptive_bins(n, l):
    return [(i * n // l, -(-(i + 1) * n // l)) for i in range(l)]


def _floor_bins(n, l):
    return [(i * n // l, (i + 1) * n // l) for i in range(l)]


def _paper_bins(n, l):
    """SPP-Net's window ⌈n/l⌉ at stride ⌊n/l⌋."""
    window, stride = -(-n // l), n // l
    return [(i * stride, i * stride + window) for i in range(l)]


def _spp(*, bins=_adaptive_bins, column_extent=lambda H, W: W, pool=torch.amax, channels_last=False,
         channel_major=False):
    """SPP with one part done the given way (all defaults: the reference)."""

    def spatial_pyramid_pool(x, levels=(1, 2, 4)):
        N, C, H, W = x.shape
        grids = [
            torch.stack(
                [torch.stack([pool(x[:, :, top:bottom, left:right], dim=(-2, -1)) for left, right in bins(column_extent(H, W), l)], dim=-1)
                 for top, bottom in bins(H, l)],
                dim=-2,
            )
            for l in levels
        ]  # each (N, C, l, l)
        if channel_major:
            return torch.cat([grid.reshape(N, C, -1) for grid in grids], dim=-1).reshape(N, -1)
        if channels_last:
            grids = [grid.permute(0, 2, 3, 1) for grid in grids]
        return torch.cat([grid.reshape(N, -1) for grid in grids], dim=1)

    return spatial_pyramid_pool


MISTAKES = [
    mistake(
        "floor-both-edges",
        "Both bin edges are rounded down, end = ⌊(i + 1)·n/l⌋ instead of ⌈(i + 1)·n/l⌉. Where l does not "
        "divide n, a bin loses the pixel it should share with the next one (n = 7, l = 2: rows [0, 3) "
        "instead of [0, 4)), and a map smaller than the grid (n < l) gets empty bins. F.adaptive_max_pool2d "
        "rounds the start down and the end up, so every bin has at least one pixel.",
        spatial_pyramid_pool=_spp(bins=_floor_bins),
    ),
    mistake(
        "paper-kernel-stride",
        "The bins are SPP-Net's pooling window ⌈n/l⌉ at stride ⌊n/l⌋: where l does not divide n they "
        "drift away from the last rows and columns (n = 7, l = 4: windows [0, 2), [1, 3), [2, 4), [3, 5) "
        "never reach rows 5 and 6). The contract's bins are F.adaptive_max_pool2d's: "
        "[⌊i·n/l⌋, ⌈(i + 1)·n/l⌉), which always end at n.",
        spatial_pyramid_pool=_spp(bins=_paper_bins),
    ),
    mistake(
        "width-bins-from-height",
        "The column bins are computed from the height H instead of the width W (a square map assumed). "
        "Rows and columns are binned separately: bin (i, j) covers rows [⌊i·H/l⌋, ⌈(i+1)·H/l⌉) and "
        "columns [⌊j·W/l⌋, ⌈(j+1)·W/l⌉).",
        spatial_pyramid_pool=_spp(column_extent=lambda H, W: H),
    ),
    mistake(
        "average-not-max",
        "Each bin is averaged instead of max-pooled. Spatial pyramid pooling takes the maximum of each "
        "bin, as F.adaptive_max_pool2d does; averaging gives a different vector (and spreads the gradient "
        "over the bin instead of sending it to its maximum).",
        spatial_pyramid_pool=_spp(pool=torch.mean),
    ),
    mistake(
        "channels-last-flatten",
        "Each level's (N, C, l, l) grid is flattened in (l, l, C) order (channels innermost) instead of "
        "(C, l, l): `grid.flatten(1)` (or `.reshape(N, -1)`) on the (N, C, l, l) tensor gives the "
        "contract's order, as `torch.flatten(F.adaptive_max_pool2d(x, l), 1)` does.",
        spatial_pyramid_pool=_spp(channels_last=True),
    ),
    mistake(
        "channel-major-concat",
        "The levels are interleaved per channel (channel 0's bins of every level, then channel 1's, …) "
        "instead of concatenated one level after another. Flatten each level to (N, C·l²) first, then "
        "`torch.cat(..., dim=1)` in the order of `levels`.",
        spatial_pyramid_pool=_spp(channel_major=True),
    ),
]
