"""Reference for `vit_patches`: ViT's patch embedding, as torchvision's VisionTransformer computes it.

patch_embed = conv_proj (a Conv2d with kernel = stride = P) written as a matrix product over the
patches, the class token first, then the position embeddings added to every token.
"""

import torch


def patchify(images, patch_size):
    B, C, H, W = images.shape
    P = patch_size
    if H % P or W % P:
        raise ValueError(f"the image is {H}×{W}: both sides must be multiples of the patch size {P}")
    grid = images.reshape(B, C, H // P, P, W // P, P)  # (B, C, h, P, w, P)
    patches = grid.permute(0, 2, 4, 1, 3, 5)  # (B, h, w, C, P, P): patch rows, then columns
    return patches.reshape(B, (H // P) * (W // P), C * P * P)  # each patch flattened as (C, P, P)


def patch_embed(images, patch_size, weight, bias, cls_token, pos_embed):
    patches = patchify(images, patch_size)  # (B, N, C·P·P)
    D = weight.size(0)
    tokens = patches @ weight.reshape(D, -1).T + bias  # (B, N, D): the Conv2d weight flattened as (C, P, P) too
    cls = cls_token.expand(images.size(0), -1, -1)  # (B, 1, D)
    return torch.cat([cls, tokens], dim=1) + pos_embed  # (B, N + 1, D)
