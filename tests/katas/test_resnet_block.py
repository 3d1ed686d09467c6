"""The resnet_block reference is torchvision's BasicBlock: same state dict, same outputs and gradients.

torchvision is not a dependency, so its BasicBlock (torchvision/models/resnet.py, with the
downsample that ResNet._make_layer builds) is restated here from torch.nn primitives.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders
from dlprep.grading.execute import ProtocolError
from dlprep.katas.catalog import load
from tests.katas.strategies import reference, seeds

ref = reference("resnet_block")
KATA = load().get("resnet_block")


def conv3x3(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class TorchvisionBasicBlock(nn.Module):
    """torchvision.models.resnet.BasicBlock, as ResNet._make_layer builds it."""

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        downsample = None
        if stride != 1 or inplanes != planes:
            downsample = nn.Sequential(conv1x1(inplanes, planes, stride), nn.BatchNorm2d(planes))
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)


def _randomise(block, gen):
    """Random weights and BatchNorm statistics, away from PyTorch's defaults."""
    with torch.no_grad():
        for name, tensor in block.state_dict().items():
            if name.endswith("num_batches_tracked"):
                tensor.fill_(3)
            elif name.endswith("running_var") or name.endswith("bn1.weight") or name.endswith("bn2.weight"):
                tensor.copy_(0.5 + torch.rand(tensor.shape, generator=gen, dtype=tensor.dtype))
            else:
                tensor.copy_(torch.randn(tensor.shape, generator=gen, dtype=tensor.dtype) * 0.5)


def _parameter_count(c_in, c_out, stride):
    projection = stride != 1 or c_in != c_out
    return 9 * c_in * c_out + 9 * c_out * c_out + 4 * c_out + (c_in * c_out + 2 * c_out if projection else 0)


channels = st.integers(min_value=1, max_value=6)


@settings(max_examples=25, deadline=None)
@given(c_in=channels, c_out=channels, stride=st.sampled_from([1, 2, 3]), N=st.integers(1, 3),
       H=st.integers(2, 7), W=st.integers(2, 7), training=st.booleans(), seed=seeds)
def test_matches_torchvision_basic_block(c_in, c_out, stride, N, H, W, training, seed):
    H_out, W_out = (H - 1) // stride + 1, (W - 1) // stride + 1
    assume(not training or N * H_out * W_out > 1)  # BatchNorm needs two values per channel to train
    gen = torch.Generator().manual_seed(seed)
    theirs = TorchvisionBasicBlock(c_in, c_out, stride).double()
    _randomise(theirs, gen)
    mine = ref.BasicBlock(c_in, c_out, stride).double()
    mine.load_state_dict(theirs.state_dict(), strict=True)  # torchvision's names load strictly
    theirs.train(training)
    mine.train(training)
    x = torch.randn(N, c_in, H, W, generator=gen, dtype=torch.float64, requires_grad=True)

    out, want = mine(x), theirs(x)
    assert out.shape == (N, c_out, H_out, W_out)
    torch.testing.assert_close(out, want, rtol=1e-10, atol=1e-12)
    for (name, a), (_, b) in zip(mine.state_dict().items(), theirs.state_dict().items(), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12, msg=name)  # running statistics after

    upstream = torch.randn(out.shape, generator=gen, dtype=torch.float64)
    params = dict(mine.named_parameters())
    their_params = dict(theirs.named_parameters())
    assert params.keys() == their_params.keys()
    got = torch.autograd.grad(out, (x, *params.values()), upstream)
    expected = torch.autograd.grad(want, (x, *their_params.values()), upstream)
    for name, a, b in zip(("x", *params), got, expected, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11, msg=name)

    # and the other way round: the reference's state dict loads strictly into torchvision's block
    TorchvisionBasicBlock(c_in, c_out, stride).double().load_state_dict(mine.state_dict(), strict=True)


@pytest.mark.parametrize("c_in, c_out, stride", [(64, 64, 1), (64, 128, 2), (3, 6, 1), (8, 8, 2), (1, 1, 1)])
def test_parameter_count_and_names(c_in, c_out, stride):
    block = ref.BasicBlock(c_in, c_out, stride)
    assert sum(p.numel() for p in block.parameters()) == _parameter_count(c_in, c_out, stride)
    assert list(block.state_dict()) == list(TorchvisionBasicBlock(c_in, c_out, stride).state_dict())
    assert (block.downsample is None) == (stride == 1 and c_in == c_out)
    assert not any(name.endswith("bias") and name.startswith(("conv", "downsample.0")) for name in block.state_dict())


def test_basic_block_64_to_128_has_230144_parameters():
    assert sum(p.numel() for p in ref.BasicBlock(64, 128, stride=2).parameters()) == 230_144


def test_reference_stays_on_the_meta_device():
    block = ref.BasicBlock(3, 8, stride=2).to("meta")
    out = block(torch.empty(2, 3, 9, 6, device="meta"))
    assert out.device.type == "meta" and out.shape == (2, 8, 5, 3)


def test_a_state_dict_mismatch_names_the_keys():
    """The grader's strict load says which keys are missing, unexpected or mis-shaped."""
    checks = loaders.checks_module(KATA)
    case = next(c for c in loaders.make_cases(KATA) if "x" in c.args and c.args["stride"] == 2)

    class WithBias(ref.BasicBlock):
        def __init__(self, in_channels, out_channels, stride=1):
            super().__init__(in_channels, out_channels, stride)
            self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)  # bias=True
            self.downsample = None

    class Impl:
        BasicBlock = WithBias

    args = {k: (torch.from_numpy(v) if isinstance(v, np.ndarray) else v) for k, v in case.args.items()}
    with pytest.raises(ProtocolError) as info:
        checks.run(Impl, case, args)
    message = str(info.value)
    assert "missing `downsample.0.weight`" in message
    assert "unexpected `conv1.bias`" in message
    assert "strict=True" in message
