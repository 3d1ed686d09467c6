"""ReLU as torch.maximum with a zero built on the CPU and moved with .to(device=..., dtype=...)."""

from collections import OrderedDict

import torch
import torch.nn as nn


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, (3, 3), stride=(stride, stride), padding=(1, 1), bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels, eps=1e-5, momentum=0.1)
        self.conv2 = nn.Conv2d(out_channels, out_channels, (3, 3), padding=(1, 1), bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels, eps=1e-5, momentum=0.1)
        self.downsample = None
        if (stride, in_channels) != (1, out_channels):
            self.downsample = nn.Sequential(OrderedDict([
                ("0", nn.Conv2d(in_channels, out_channels, (1, 1), stride=(stride, stride), bias=False)),
                ("1", nn.BatchNorm2d(out_channels)),
            ]))

    @staticmethod
    def _relu(t):
        zero = torch.zeros(1).to(device=t.device, dtype=t.dtype)  # (1,), moved before it meets t
        return torch.maximum(t, zero)

    def forward(self, x):
        out = self._relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        skip = self.downsample(x) if self.downsample is not None else x
        return self._relu(out + skip)
