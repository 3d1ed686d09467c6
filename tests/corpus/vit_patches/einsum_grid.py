"""einsum over the (B, C, h, P, w, P) grid: the projection contracts C, P, P directly, the class token repeated, position embeddings added to each part before concatenating."""

import torch


def _grid(images, P):
    B, C, H, W = images.shape
    if H % P or W % P:
        raise ValueError("H and W must be multiples of the patch size")
    return images.reshape(B, C, H // P, P, W // P, P)


def patchify(images, patch_size):
    grid = _grid(images, patch_size)
    B, C, h, P, w, _ = grid.shape
    return torch.einsum("bchpwq->bhwcpq", grid).reshape(B, h * w, C * P * P)


def patch_embed(images, patch_size, weight, bias, cls_token, pos_embed):
    grid = _grid(images, patch_size)
    tokens = torch.einsum("bchpwq,dcpq->bhwd", grid, weight).flatten(1, 2) + bias  # (B, N, D)
    cls = cls_token.repeat(images.shape[0], 1, 1) + pos_embed[:, :1]
    return torch.cat([cls, tokens + pos_embed[:, 1:]], dim=1)
