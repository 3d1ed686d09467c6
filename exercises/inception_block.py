"""Kata `inception_block`: GoogLeNet's Inception module, as torchvision's `Inception`.

Write both classes with torch.nn building blocks (nn.Conv2d, nn.BatchNorm2d, nn.MaxPool2d,
nn.Sequential, F.relu, torch.cat); `torchvision` is forbidden. Grade with
`dlprep grade inception_block`.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicConv2d(nn.Module):
    """One convolution unit: conv (no bias) → BatchNorm(eps=0.001) → ReLU.

    Submodules, named as torchvision's:

        conv    nn.Conv2d(in_channels, out_channels, bias=False, **conv_options)
                (conv_options: kernel_size, and padding for the 3×3 ones)
        bn      nn.BatchNorm2d(out_channels, eps=0.001)
    """

    def __init__(self, in_channels, out_channels, **conv_options):
        super().__init__()
        raise NotImplementedError

    def forward(self, x):
        """x: (N, in_channels, H, W) -> ReLU(bn(conv(x))): (N, out_channels, H', W')."""
        raise NotImplementedError


class Inception(nn.Module):
    """Four parallel branches on the same input, concatenated on channels:

        branch1  1×1 conv                                   -> ch1x1 channels
        branch2  1×1 conv (reduce to ch3x3red) → 3×3 conv   -> ch3x3 channels
        branch3  1×1 conv (reduce to ch5x5red) → 3×3 conv   -> ch5x5 channels
                 (the paper's 5×5; torchvision's kernel is 3×3, and so is this kata's)
        branch4  3×3 max pool, stride 1, padding 1 → 1×1    -> pool_proj channels

        forward(x) = torch.cat([branch1(x), branch2(x), branch3(x), branch4(x)], dim=1)

    Every conv is a BasicConv2d; the 3×3 ones take padding=1, so every branch keeps H and W.
    Submodules, named exactly as torchvision's (a torchvision state dict must load with
    `load_state_dict(..., strict=True)`):

        branch1  BasicConv2d(in_channels, ch1x1, kernel_size=1)
        branch2  nn.Sequential(BasicConv2d(in_channels, ch3x3red, kernel_size=1),
                               BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1))
        branch3  nn.Sequential(BasicConv2d(in_channels, ch5x5red, kernel_size=1),
                               BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1))
        branch4  nn.Sequential(nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
                               BasicConv2d(in_channels, pool_proj, kernel_size=1))

    State dict keys: branch1.conv.weight, branch1.bn.{weight, bias, running_mean, running_var,
    num_batches_tracked}, branch2.0.conv.weight, branch2.0.bn.*, branch2.1.*, branch3.0.*,
    branch3.1.*, branch4.1.conv.weight, branch4.1.bn.* (branch4.0, the pool, has no state).

    Shapes: x (N, in_channels, H, W) -> (N, ch1x1 + ch3x3 + ch5x5 + pool_proj, H, W).
    """

    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        super().__init__()
        # Create branch1, branch2, branch3 and branch4 here.
        raise NotImplementedError

    def forward(self, x):
        """x: (N, in_channels, H, W) -> the four branches concatenated on dim 1."""
        raise NotImplementedError
