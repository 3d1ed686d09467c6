"""ReLU written as torch.where against a 0-dim CPU tensor torch.tensor(0.0); torch.add joins the branches."""

import torch
from torch import nn


def _relu(t):
    return torch.where(t > 0, t, torch.tensor(0.0))  # a 0-dim tensor mixes with any device and dtype


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        projection = stride != 1 or in_channels != out_channels
        self.downsample = (
            nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride, bias=False), nn.BatchNorm2d(out_channels))
            if projection
            else None
        )

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        hidden = _relu(self.bn1(self.conv1(x)))
        return _relu(torch.add(self.bn2(self.conv2(hidden)), shortcut))
