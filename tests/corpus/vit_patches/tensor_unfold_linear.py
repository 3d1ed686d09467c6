"""Tensor.unfold views for the patches, F.linear with the flattened Conv2d weight, the class token expanded and concatenated."""

import torch
import torch.nn.functional as F


def patchify(images, patch_size):
    B, C, H, W = images.shape
    if H % patch_size != 0 or W % patch_size != 0:
        raise ValueError(f"image size {H}x{W} is not divisible by patch size {patch_size}")
    windows = images.unfold(2, patch_size, patch_size).unfold(3, patch_size, patch_size)  # (B, C, h, w, P, P)
    return windows.permute(0, 2, 3, 1, 4, 5).flatten(3).flatten(1, 2)


def patch_embed(images, patch_size, weight, bias, cls_token, pos_embed):
    tokens = F.linear(patchify(images, patch_size), weight.flatten(1), bias)  # (B, N, D)
    cls = cls_token.expand(tokens.shape[0], 1, tokens.shape[-1])
    return torch.cat((cls, tokens), dim=1) + pos_embed
