"""Mistakes interviewers see in the ResNet basic block."""

import torch.nn as nn
import torch.nn.functional as F

from dlprep.grading.spec import mistake


def _block(*, bias=False, projection=lambda stride, c_in, c_out: stride != 1 or c_in != c_out,
           projection_bn=True, strides=lambda stride: (stride, 1), relu_before_bn=False, final="after-add"):
    """A BasicBlock with one part done the given way (all defaults: the reference).

    `strides`: the strides of (conv1, conv2). `final`: where the last ReLU goes:
    "after-add" (the reference), "before-add" (on F(x) only) or "none".
    """

    class BasicBlock(nn.Module):
        def __init__(self, in_channels, out_channels, stride=1):
            super().__init__()
            s1, s2 = strides(stride)
            self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=s1, padding=1, bias=bias)
            self.bn1 = nn.BatchNorm2d(out_channels)
            self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=s2, padding=1, bias=bias)
            self.bn2 = nn.BatchNorm2d(out_channels)
            self.downsample = None
            if projection(stride, in_channels, out_channels):
                conv = nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=bias)
                self.downsample = nn.Sequential(conv, nn.BatchNorm2d(out_channels)) if projection_bn else nn.Sequential(conv)

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.conv1(x)
            out = self.bn1(F.relu(out)) if relu_before_bn else F.relu(self.bn1(out))
            out = self.bn2(self.conv2(out))
            if final == "before-add":
                return F.relu(out) + identity
            if final == "none":
                return out + identity
            return F.relu(out + identity)

    return BasicBlock


MISTAKES = [
    mistake(
        "relu-before-add",
        "The last ReLU is applied to F(x) before the addition: relu(F(x)) + x. The basic block is "
        "y = ReLU(F(x) + shortcut(x)), with F(x) = BN₂(conv₂(ReLU(BN₁(conv₁(x))))) ending at BN₂: the "
        "residual F(x) must be able to be negative, so the ReLU comes after the sum.",
        BasicBlock=_block(final="before-add"),
    ),
    mistake(
        "missing-final-relu",
        "The block returns F(x) + shortcut(x) without the final ReLU. torchvision's BasicBlock (the "
        "original ResNet) is y = ReLU(F(x) + shortcut(x)): the ReLU after the addition is part of the block.",
        BasicBlock=_block(final="none"),
    ),
    mistake(
        "no-downsample",
        "The shortcut is always the identity, so there is no `downsample`. y = F(x) + x only adds up "
        "when F keeps the shape; when stride != 1 or in_channels != out_channels the shortcut must be "
        "projected: downsample = nn.Sequential(1×1 conv with that stride and no bias, BatchNorm2d), "
        "adding C_in·C_out + 2·C_out parameters.",
        BasicBlock=_block(projection=lambda stride, c_in, c_out: False),
    ),
    mistake(
        "downsample-without-bn",
        "The projection shortcut is a bare 1×1 convolution, without its BatchNorm. torchvision's "
        "downsample is nn.Sequential(1×1 conv with bias=False, BatchNorm2d): the projected shortcut "
        "is normalised like F(x), and its state dict has `downsample.1.weight`, `downsample.1.bias` "
        "and running statistics (2·C_out more parameters).",
        BasicBlock=_block(projection_bn=False),
    ),
    mistake(
        "stride-on-conv2",
        "The stride is on conv2 instead of conv1. The shapes still work out (both give H' = ⌊(H − 1)/s⌋ + 1), "
        "but torchvision's BasicBlock, and the ResNet paper, downsample in the first 3×3 convolution: "
        "conv1 has the stride, conv2 always has stride 1.",
        BasicBlock=_block(strides=lambda stride: (1, stride)),
    ),
    mistake(
        "conv-bias",
        "The convolutions have biases (nn.Conv2d's default bias=True). A bias right before a BatchNorm "
        "is subtracted away with the batch mean and is redundant with BN's β, so ResNet's convolutions "
        "use bias=False: the state dict then has no `conv1.bias`, `conv2.bias` or `downsample.0.bias`, "
        "and the guide's parameter count k²·C_in·C_out + C_out loses its + C_out.",
        BasicBlock=_block(bias=True),
    ),
    mistake(
        "relu-before-bn",
        "The first unit applies the ReLU before the BatchNorm: BN₁(ReLU(conv₁(x))). The block's order "
        "is conv → BN → ReLU, so F(x) = BN₂(conv₂(ReLU(BN₁(conv₁(x))))): BN normalises the "
        "convolution's output, and the ReLU acts on the normalised values.",
        BasicBlock=_block(relu_before_bn=True),
    ),
]
