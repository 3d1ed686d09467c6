"""Python loops over the patch rows and columns, each patch sliced and flattened, stacked; the projection by matmul with a transposed weight view."""

import torch


def patchify(images, patch_size):
    B, C, H, W = images.shape
    P = patch_size
    if H % P != 0:
        raise ValueError(f"height {H} is not a multiple of {P}")
    if W % P != 0:
        raise ValueError(f"width {W} is not a multiple of {P}")
    patches = []
    for top in range(0, H, P):
        for left in range(0, W, P):
            patches.append(images[:, :, top : top + P, left : left + P].reshape(B, -1))  # (B, C·P·P)
    return torch.stack(patches, dim=1)


def patch_embed(images, patch_size, weight, bias, cls_token, pos_embed):
    D = weight.shape[0]
    patches = patchify(images, patch_size)
    tokens = torch.matmul(patches, weight.view(D, -1).t()) + bias.view(1, 1, D)
    batch_cls = torch.cat([cls_token] * images.shape[0], dim=0)
    sequence = torch.cat([batch_cls, tokens], dim=1)
    return sequence + pos_embed
