"""The spp reference is F.adaptive_max_pool2d at every level, flattened and concatenated, gradients included."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.katas.strategies import reference, seeds

ref = reference("spp")
sides = st.integers(min_value=1, max_value=12)


@settings(max_examples=40, deadline=None)
@given(N=st.integers(1, 3), C=st.integers(1, 4), H=sides, W=sides,
       levels=st.lists(st.integers(1, 6), min_size=1, max_size=4), seed=seeds)
def test_matches_adaptive_max_pool2d_at_every_level(N, C, H, W, levels, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(N, C, H, W, generator=gen, dtype=torch.float64, requires_grad=True)  # continuous: no ties
    mine = ref.spatial_pyramid_pool(x, tuple(levels))
    theirs = torch.cat([torch.flatten(F.adaptive_max_pool2d(x, l), 1) for l in levels], dim=1)
    assert mine.shape == (N, C * sum(l * l for l in levels))
    assert torch.equal(mine, theirs)
    upstream = torch.randn(mine.shape, generator=gen, dtype=torch.float64)
    (mine_grad,) = torch.autograd.grad(mine, x, upstream)
    (their_grad,) = torch.autograd.grad(theirs, x, upstream)
    torch.testing.assert_close(mine_grad, their_grad, rtol=1e-12, atol=1e-12)  # pixels in several bins: sums


def test_default_levels_are_1_2_4():
    x = torch.randn(2, 3, 7, 5, dtype=torch.float64)
    expected = torch.cat([torch.flatten(F.adaptive_max_pool2d(x, l), 1) for l in (1, 2, 4)], dim=1)
    assert torch.equal(ref.spatial_pyramid_pool(x), expected)


def test_overlapping_bins_golden():
    x = torch.arange(12.0).reshape(1, 1, 3, 4)  # rows [0, 2) and [1, 3) share row 1
    assert ref.spatial_pyramid_pool(x, (1, 2)).tolist() == [[11.0, 5.0, 7.0, 9.0, 11.0]]


def test_the_length_does_not_depend_on_the_map_size():
    for H, W in ((13, 13), (40, 60), (3, 2)):
        out = ref.spatial_pyramid_pool(torch.empty(1, 256, H, W, device="meta"), (6, 3, 2, 1))
        assert out.shape == (1, 12_800) and out.device.type == "meta"


def test_levels_keep_the_order_given():
    x = torch.randn(1, 2, 6, 6, dtype=torch.float64)
    forward, backward = ref.spatial_pyramid_pool(x, (1, 2)), ref.spatial_pyramid_pool(x, (2, 1))
    assert torch.equal(forward[:, :2], backward[:, -2:]) and torch.equal(forward[:, 2:], backward[:, :-2])
