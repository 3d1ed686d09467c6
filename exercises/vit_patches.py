"""Kata `vit_patches`: the Vision Transformer's patch embedding, with torchvision's conventions.

Implement both functions with tensor reshapes and a matrix product: `F.unfold`, `nn.Unfold`,
`F.conv2d`, `nn.Conv2d` and `torchvision` are forbidden (`Tensor.unfold`, a view, is allowed).
Grade with `dlprep grade vit_patches`.
"""

import torch


def patchify(images, patch_size):
    """Cut images into non-overlapping P × P patches, one flattened patch per row.

    With h = H / P and w = W / P, patch n = r·w + c (row-major: along the first row of
    patches, then the next) covers images[:, :, r·P:(r+1)·P, c·P:(c+1)·P], flattened in
    (C, P, P) order, the order of a Conv2d(C, D, kernel_size=P, stride=P) weight's last
    three dimensions:

        out[b, r·w + c, ch·P·P + i·P + j] = images[b, ch, r·P + i, c·P + j]

    Args:
        images: (B, C, H, W).
        patch_size: P, which must divide both H and W.

    Returns:
        (B, N, C·P·P) with N = (H / P)·(W / P).

    Raises:
        ValueError: when P does not divide H or W.
    """
    raise NotImplementedError


def patch_embed(images, patch_size, weight, bias, cls_token, pos_embed):
    """ViT's input tokens: x₀ = [x_class; x_p¹E; …; x_pᴺE] + E_pos (Dosovitskiy et al., 2021).

    As torchvision's VisionTransformer: conv_proj = Conv2d(C, D, kernel_size=P, stride=P)
    applied to the images, its (B, D, h, w) output flattened to (B, N, D) in row-major patch
    order, the class token prepended, and the position embeddings added to all N + 1 tokens.

    Args:
        images: (B, C, H, W).
        patch_size: P.
        weight: (D, C, P, P), that Conv2d's weight.
        bias: (D,), its bias.
        cls_token: (1, 1, D), the learned class token, shared by the batch.
        pos_embed: (1, N + 1, D), position embeddings; position 0 is the class token's.

    Returns:
        (B, N + 1, D): token 0 is the class token, tokens 1 … N the patches in patchify's order.
    """
    raise NotImplementedError
