"""Reference for `resnet_block`: the ResNet basic block, y = ReLU(F(x) + shortcut(x)), named as torchvision's.

F(x) = BN₂(conv₂(ReLU(BN₁(conv₁(x))))), with 3×3 convolutions without bias (BatchNorm's β is the
bias). The shortcut is the identity, or a 1×1 convolution + BatchNorm (`downsample`) when the
block changes the shape: stride ≠ 1 (smaller H, W) or in_channels ≠ out_channels.
"""

import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        # the stride sits on the first 3×3 conv; padding 1 keeps H, W when stride is 1
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            # projection shortcut: match the channels and the stride of the main path
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),  # downsample.0
                nn.BatchNorm2d(out_channels),  # downsample.1
            )

    def forward(self, x):  # x: (N, C_in, H, W)
        identity = x if self.downsample is None else self.downsample(x)  # (N, C_out, H', W')
        out = F.relu(self.bn1(self.conv1(x)))  # (N, C_out, H', W')
        out = self.bn2(self.conv2(out))  # F(x): no ReLU yet
        return F.relu(out + identity)  # ReLU after the addition
