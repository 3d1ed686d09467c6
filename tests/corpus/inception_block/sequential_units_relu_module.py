"""Each conv unit an nn.Sequential of named conv, bn and nn.ReLU(inplace=True); branches joined by a comprehension."""

from collections import OrderedDict

import torch
import torch.nn as nn


def conv_bn_relu(c_in, c_out, kernel):
    return nn.Sequential(OrderedDict([
        ("conv", nn.Conv2d(c_in, c_out, kernel_size=kernel, padding=(kernel - 1) // 2, bias=False)),
        ("bn", nn.BatchNorm2d(c_out, eps=1e-3)),
        ("relu", nn.ReLU(inplace=True)),
    ]))


class Inception(nn.Module):
    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        super().__init__()
        self.branch1 = conv_bn_relu(in_channels, ch1x1, 1)
        self.branch2 = nn.Sequential(conv_bn_relu(in_channels, ch3x3red, 1), conv_bn_relu(ch3x3red, ch3x3, 3))
        self.branch3 = nn.Sequential(conv_bn_relu(in_channels, ch5x5red, 1), conv_bn_relu(ch5x5red, ch5x5, 3))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, 1, 1), conv_bn_relu(in_channels, pool_proj, 1))

    def forward(self, x):
        return torch.cat([branch(x) for branch in (self.branch1, self.branch2, self.branch3, self.branch4)], dim=1)
