"""Branches built from a table with add_module; the unit's ReLU as clamp(min=0); torch.concat over getattr."""

import torch
import torch.nn as nn


class BasicConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, (kernel_size, kernel_size), padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001, momentum=0.1)

    def forward(self, x):
        return self.bn(self.conv(x)).clamp(min=0)


class Inception(nn.Module):
    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        super().__init__()
        table = {
            "branch1": [BasicConv2d(in_channels, ch1x1, 1)],
            "branch2": [BasicConv2d(in_channels, ch3x3red, 1), BasicConv2d(ch3x3red, ch3x3, 3, padding=1)],
            "branch3": [BasicConv2d(in_channels, ch5x5red, 1), BasicConv2d(ch5x5red, ch5x5, 3, padding=1)],
            "branch4": [nn.MaxPool2d(kernel_size=3, stride=1, padding=1), BasicConv2d(in_channels, pool_proj, 1)],
        }
        for name, layers in table.items():
            self.add_module(name, layers[0] if len(layers) == 1 else nn.Sequential(*layers))

    def forward(self, x):
        return torch.concat([getattr(self, f"branch{i}")(x) for i in range(1, 5)], 1)
