"""Kata `resnet_block`: the ResNet basic block, as torchvision's `BasicBlock`.

Write the class with torch.nn building blocks (nn.Conv2d, nn.BatchNorm2d, nn.Sequential,
F.relu); `torchvision` is forbidden. Grade with `dlprep grade resnet_block`.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    """The two-layer residual block of ResNet-18/34: y = ReLU(F(x) + shortcut(x)).

        F(x) = BN₂(conv₂(ReLU(BN₁(conv₁(x)))))
        shortcut(x) = x                       when stride == 1 and in_channels == out_channels
                    = BN(conv₁ₓ₁(x))          otherwise (the `downsample` projection)

    Submodules, named exactly as torchvision's (a torchvision state dict must load with
    `load_state_dict(..., strict=True)`):

        conv1       nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        bn1         nn.BatchNorm2d(out_channels)
        conv2       nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)
        bn2         nn.BatchNorm2d(out_channels)
        downsample  None, or nn.Sequential(
                        nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                        nn.BatchNorm2d(out_channels))

    Shapes: x (N, C_in, H, W) -> (N, C_out, H', W') with H' = ⌊(H − 1)/stride⌋ + 1 (the same for W).

    Parameters: 9·C_in·C_out + 9·C_out² + 4·C_out, plus C_in·C_out + 2·C_out with a downsample.
    """

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        # Create conv1, bn1, conv2, bn2 and downsample here.
        raise NotImplementedError

    def forward(self, x):
        """x: (N, C_in, H, W) -> ReLU(F(x) + shortcut(x)): (N, C_out, H', W')."""
        raise NotImplementedError
