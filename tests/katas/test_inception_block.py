"""The inception_block reference is torchvision's GoogLeNet Inception: same state dict, same outputs and gradients.

torchvision is not a dependency (its only build for this torch release is a CUDA one whose
operators do not load beside the CPU torch), so its conventions are written down here and the
module is composed independently from nn.Conv2d, nn.BatchNorm2d and nn.MaxPool2d, with the
state-dict names and shapes of torchvision/models/googlenet.py.
"""

from __future__ import annotations

from collections import OrderedDict

import pytest
import torch
import torch.nn as nn
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.katas.strategies import reference, seeds

ref = reference("inception_block")

TORCHVISION_BN_EPS = 0.001


def unit(c_in, c_out, kernel):
    """torchvision's BasicConv2d as a state-dict layout: `conv` (no bias), `bn` (eps 0.001), then a ReLU."""
    return nn.Sequential(OrderedDict(
        conv=nn.Conv2d(c_in, c_out, kernel, padding=kernel // 2, bias=False),
        bn=nn.BatchNorm2d(c_out, eps=TORCHVISION_BN_EPS),
        relu=nn.ReLU(),
    ))


class TorchvisionInception(nn.Module):
    """torchvision.models.googlenet.Inception, branch by branch (branch3's kernel is 3×3 there too)."""

    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        super().__init__()
        self.branch1 = unit(in_channels, ch1x1, 1)
        self.branch2 = nn.Sequential(unit(in_channels, ch3x3red, 1), unit(ch3x3red, ch3x3, 3))
        self.branch3 = nn.Sequential(unit(in_channels, ch5x5red, 1), unit(ch5x5red, ch5x5, 3))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True),
                                     unit(in_channels, pool_proj, 1))

    def forward(self, x):
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


def torchvision_state_shapes(in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
    """torchvision's Inception state dict: names, in order, and shapes."""
    units = [("branch1", in_channels, ch1x1, 1), ("branch2.0", in_channels, ch3x3red, 1),
             ("branch2.1", ch3x3red, ch3x3, 3), ("branch3.0", in_channels, ch5x5red, 1),
             ("branch3.1", ch5x5red, ch5x5, 3), ("branch4.1", in_channels, pool_proj, 1)]
    shapes = {}
    for prefix, c_in, c_out, k in units:
        shapes[f"{prefix}.conv.weight"] = (c_out, c_in, k, k)
        for name in ("weight", "bias", "running_mean", "running_var"):
            shapes[f"{prefix}.bn.{name}"] = (c_out,)
        shapes[f"{prefix}.bn.num_batches_tracked"] = ()
    return shapes


def _randomise(module, gen):
    """Random weights and BatchNorm statistics, away from PyTorch's defaults."""
    with torch.no_grad():
        for name, tensor in module.state_dict().items():
            if name.endswith("num_batches_tracked"):
                tensor.fill_(5)
            elif name.endswith(("running_var", "bn.weight")):
                tensor.copy_(0.05 + torch.rand(tensor.shape, generator=gen, dtype=tensor.dtype))
            else:
                tensor.copy_(torch.randn(tensor.shape, generator=gen, dtype=tensor.dtype) * 0.5)


widths = st.integers(min_value=1, max_value=5)


@settings(max_examples=25, deadline=None)
@given(channels=st.tuples(*[widths] * 7), N=st.integers(1, 3), H=st.integers(1, 6), W=st.integers(1, 6),
       training=st.booleans(), seed=seeds)
def test_matches_torchvision_inception(channels, N, H, W, training, seed):
    assume(not training or N * H * W > 1)  # BatchNorm needs two values per channel to train
    gen = torch.Generator().manual_seed(seed)
    theirs = TorchvisionInception(*channels).double()
    _randomise(theirs, gen)
    mine = ref.Inception(*channels).double()
    mine.load_state_dict(theirs.state_dict(), strict=True)  # torchvision's names load strictly
    theirs.train(training)
    mine.train(training)
    x = torch.randn(N, channels[0], H, W, generator=gen, dtype=torch.float64, requires_grad=True)

    out, want = mine(x), theirs(x)
    c_out = channels[1] + channels[3] + channels[5] + channels[6]
    assert out.shape == (N, c_out, H, W)
    torch.testing.assert_close(out, want, rtol=1e-10, atol=1e-12)
    for (name, a), (_, b) in zip(mine.state_dict().items(), theirs.state_dict().items(), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12, msg=name)  # running statistics after

    upstream = torch.randn(out.shape, generator=gen, dtype=torch.float64)
    params, their_params = dict(mine.named_parameters()), dict(theirs.named_parameters())
    assert params.keys() == their_params.keys()
    got = torch.autograd.grad(out, (x, *params.values()), upstream)
    expected = torch.autograd.grad(want, (x, *their_params.values()), upstream)
    for name, a, b in zip(("x", *params), got, expected, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11, msg=name)

    # and the other way round: the reference's state dict loads strictly into torchvision's module
    TorchvisionInception(*channels).double().load_state_dict(mine.state_dict(), strict=True)


@pytest.mark.parametrize("channels", [(192, 64, 96, 128, 16, 32, 32), (256, 128, 128, 192, 32, 96, 64),
                                      (480, 192, 96, 208, 16, 48, 64), (3, 1, 2, 3, 4, 5, 6)])
def test_state_dict_names_and_shapes_are_torchvisions(channels):
    state = ref.Inception(*channels).state_dict()
    assert {k: tuple(v.shape) for k, v in state.items()} == torchvision_state_shapes(*channels)
    assert list(state) == list(torchvision_state_shapes(*channels))
    assert all(m.eps == TORCHVISION_BN_EPS for m in ref.Inception(*channels).modules() if isinstance(m, nn.BatchNorm2d))


def test_inception3a_has_155872_parameters_and_256_channels():
    block = ref.Inception(192, 64, 96, 128, 16, 32, 32)
    assert sum(p.numel() for p in block.parameters()) == 155_872
    assert block(torch.zeros(1, 192, 7, 7)).shape == (1, 256, 7, 7)


def test_reference_stays_on_the_meta_device():
    block = ref.Inception(4, 2, 3, 4, 2, 3, 2).to("meta")
    out = block(torch.empty(2, 4, 5, 3, device="meta"))
    assert out.device.type == "meta" and out.shape == (2, 11, 5, 3)
