"""Cases for `spp`: spatial_pyramid_pool(x, levels=(1, 2, 4)).

Sizes are chosen so that the bin formula shows: H and W not multiples of the levels (bins that
overlap by a pixel), H ≠ W, maps smaller than a grid (H < l: bins of one pixel, shared), levels not in
increasing order. Inputs of the gradient cases are continuous, so no bin has a tie for its maximum
and max pooling is differentiable there; the tie case compares values only.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import Case


def _size(levels) -> int:
    return sum(l * l for l in levels)


def _spp_case(rng, label, shape, levels=None, *, x=None, grad=True, dtype="float64", note=""):
    N, C = shape[:2]
    args = {"x": rng.standard_normal(shape) if x is None else x}
    if levels is not None:
        args["levels"] = tuple(levels)
    shown = "default levels (1, 2, 4)" if levels is None else f"levels {tuple(levels)}"
    return Case(
        name=f"{label}: x {'×'.join(map(str, shape))}, {shown}",
        call="spatial_pyramid_pool",
        args=args,
        dtype=dtype,
        grad=("x",) if grad else (),
        upstream=(rng.standard_normal((N, C * _size(levels or (1, 2, 4)))),) if grad else (),
        note=note,
    )


def cases(rng: np.random.Generator) -> list[Case]:
    bins = "bin i of l covers [⌊i·n/l⌋, ⌈(i+1)·n/l⌉) along rows (n = H) and columns (n = W): neighbours share a pixel"
    order = "each level flattened (C, l, l), the levels concatenated in the order given"
    ties = np.maximum(rng.integers(-2, 3, (2, 3, 6, 7)), 0).astype(np.float64)  # after a ReLU: many equal maxima
    return [
        _spp_case(rng, "sizes divisible by every level", (2, 3, 8, 8), note=order),
        _spp_case(rng, "H ≠ W, neither divisible by 4", (2, 2, 7, 5), note=bins),
        _spp_case(rng, "SPP-Net's 13 × 13 conv5", (1, 4, 13, 13), (6, 3, 2, 1),
                  note=f"{bins}; levels given largest first: keep that order"),
        _spp_case(rng, "map smaller than the grid", (2, 3, 3, 2), (1, 2, 4),
                  note="H = 3 < 4 and W = 2 < 4: the same formula gives bins of one pixel, some shared"),
        _spp_case(rng, "one level", (2, 2, 9, 10), (3,), note=bins),
        _spp_case(rng, "a 1 × 1 map", (2, 3, 1, 1), (1, 2), note="every bin is the single pixel"),
        _spp_case(rng, "wide map", (2, 2, 4, 11), (2, 3), note=bins),
        _spp_case(rng, "all negative", (2, 2, 5, 6), (1, 2, 4), x=-np.abs(rng.standard_normal((2, 2, 5, 6))) - 0.5,
                  note="every value is negative: a bin's max is negative too (start from the bin, not from 0)"),
        _spp_case(rng, "ties after a ReLU", (2, 3, 6, 7), (1, 2, 4), x=ties, grad=False,
                  note="integer values with many equal maxima: values only, no gradients"),
        _spp_case(rng, "float32", (2, 3, 9, 7), (1, 2, 4), dtype="float32", note=bins),
        _spp_case(rng, "float32, levels largest first", (1, 4, 6, 10), (4, 2, 1), dtype="float32", note=order),
    ]
