"""Mistakes interviewers see in the Inception module."""

import torch
import torch.nn as nn
import torch.nn.functional as F

from dlprep.grading.spec import mistake

REFERENCE_POOL = dict(kernel_size=3, stride=1, padding=1, ceil_mode=True)


def _inception(*, bias=False, eps=0.001, relu=True, pool=lambda: nn.MaxPool2d(**REFERENCE_POOL),
               wide=dict(kernel_size=3, padding=1), order=(0, 1, 2, 3)):
    """An Inception with one part done the given way (all defaults: the reference).

    `pool` builds branch4's pooling layer, `wide` is branch3's second convolution, `order` the
    order in which the four branches are concatenated.
    """

    class BasicConv2d(nn.Module):
        def __init__(self, in_channels, out_channels, **conv_options):
            super().__init__()
            self.conv = nn.Conv2d(in_channels, out_channels, bias=bias, **conv_options)
            self.bn = nn.BatchNorm2d(out_channels, eps=eps)

        def forward(self, x):
            out = self.bn(self.conv(x))
            return F.relu(out) if relu else out

    class Inception(nn.Module):
        def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
            super().__init__()
            self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
            self.branch2 = nn.Sequential(
                BasicConv2d(in_channels, ch3x3red, kernel_size=1),
                BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1),
            )
            self.branch3 = nn.Sequential(
                BasicConv2d(in_channels, ch5x5red, kernel_size=1),
                BasicConv2d(ch5x5red, ch5x5, **wide),
            )
            self.branch4 = nn.Sequential(pool(), BasicConv2d(in_channels, pool_proj, kernel_size=1))

        def forward(self, x):
            branches = [self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)]
            return torch.cat([branches[i] for i in order], dim=1)

    return Inception


MISTAKES = [
    mistake(
        "pool-without-padding",
        "The pool branch's 3×3 max pool has no padding: nn.MaxPool2d(3, stride=1) shrinks H and W by 2, so "
        "its output no longer lines up with the other branches for the concatenation on channels. GoogLeNet "
        "pools with stride 1 and padding 1 (H' = H + 2 − 3 + 1 = H), as torchvision's "
        "nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True).",
        Inception=_inception(pool=lambda: nn.MaxPool2d(kernel_size=3, stride=1)),
    ),
    mistake(
        "pool-default-stride",
        "The pool branch's max pool is nn.MaxPool2d(3, padding=1) with the default stride, which is the kernel "
        "size: it downsamples by 3 (H' = ⌊(H − 1)/3⌋ + 1). Inside an Inception module every branch keeps the "
        "resolution, so the pool needs stride=1 explicitly.",
        Inception=_inception(pool=lambda: nn.MaxPool2d(kernel_size=3, padding=1)),
    ),
    mistake(
        "avg-pool-branch",
        "The pool branch averages instead of taking the maximum. GoogLeNet's Inception (torchvision's "
        "Inception) uses a 3×3 *max* pool with stride 1 and padding 1 before its 1×1 projection; the "
        "average pool belongs to Inception-v3's blocks.",
        Inception=_inception(pool=lambda: nn.AvgPool2d(kernel_size=3, stride=1, padding=1)),
    ),
    mistake(
        "branch-order",
        "The branches are concatenated in another order (here 1×1, \"5×5\", 3×3, pool). The output channels "
        "are [branch1 | branch2 | branch3 | branch4]: ch1x1, then ch3x3, then ch5x5, then pool_proj, as "
        "torchvision concatenates them, so that the next layer's pretrained weights see the channels they "
        "were trained on.",
        Inception=_inception(order=(0, 2, 1, 3)),
    ),
    mistake(
        "paper-5x5-kernel",
        "branch3 uses a real 5×5 convolution (padding 2), as the GoogLeNet paper draws it. torchvision's "
        "Inception, whose state dict this kata loads, has a 3×3 kernel (padding 1) in the branch it names "
        "5×5, a known quirk kept for its pretrained weights: branch3.1.conv.weight is "
        "(ch5x5, ch5x5red, 3, 3), 9·ch5x5red·ch5x5 weights instead of 25·ch5x5red·ch5x5.",
        Inception=_inception(wide=dict(kernel_size=5, padding=2)),
    ),
    mistake(
        "bn-default-eps",
        "The BatchNorms use PyTorch's default eps = 1e-5. torchvision's BasicConv2d uses "
        "nn.BatchNorm2d(out_channels, eps=0.001): y = γ(x − μ)/√(σ² + ε) + β, so with small variances "
        "(as in the loaded running statistics) the two ε give visibly different outputs.",
        Inception=_inception(eps=1e-5),
    ),
    mistake(
        "conv-bias",
        "The convolutions have biases (nn.Conv2d's default bias=True). Each convolution is followed by a "
        "BatchNorm, which subtracts the mean (and with it any constant bias) and adds its own β, so "
        "torchvision's BasicConv2d uses bias=False: the state dict has no `*.conv.bias`.",
        Inception=_inception(bias=True),
    ),
    mistake(
        "no-relu",
        "The convolution units stop at the BatchNorm, without the ReLU. Every BasicConv2d is "
        "conv → BN → ReLU: the non-linearity after the 1×1 reductions is half of what a 1×1 convolution "
        "adds (cross-channel mixing *and* a non-linearity, at the same spatial size).",
        Inception=_inception(relu=False),
    ),
]
