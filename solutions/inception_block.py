"""Reference for `inception_block`: GoogLeNet's Inception module, named and built as torchvision's.

Four branches read the same input and are concatenated on channels, in this order:
1×1; 1×1 reduction → 3×3; 1×1 reduction → "5×5" (a 3×3 kernel in torchvision, kept for its
pretrained weights); 3×3 max pool (stride 1, padding 1) → 1×1 projection. Every convolution is
a BasicConv2d: conv without bias → BatchNorm(eps=0.001) → ReLU.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, **conv_options):
        super().__init__()
        # no bias: the BatchNorm right after subtracts any constant and adds its own β
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **conv_options)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class Inception(nn.Module):
    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        # the 1×1 reductions make the wide kernels cheap: they see ch3x3red / ch5x5red channels
        self.branch2 = nn.Sequential(
            BasicConv2d(in_channels, ch3x3red, kernel_size=1),
            BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1),
        )
        self.branch3 = nn.Sequential(
            BasicConv2d(in_channels, ch5x5red, kernel_size=1),
            BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1),  # torchvision's kernel, named 5×5
        )
        # stride 1 and padding 1 keep H and W, so the pool branch concatenates with the others
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
            BasicConv2d(in_channels, pool_proj, kernel_size=1),
        )

    def forward(self, x):  # x: (N, C_in, H, W)
        branches = [self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)]  # each (N, C_i, H, W)
        return torch.cat(branches, dim=1)  # (N, ch1x1 + ch3x3 + ch5x5 + pool_proj, H, W)
