"""nn.Identity as the shortcut module whenever downsample is None; the residual branch a chain of F.relu calls."""

import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.identity = nn.Identity()  # no parameters, no state: the state dict stays torchvision's
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x):  # (N, C_in, H, W)
        shortcut = self.downsample or self.identity
        residual = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))  # (N, C_out, H', W')
        return F.relu(residual + shortcut(x))
