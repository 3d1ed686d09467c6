"""Mistakes interviewers see in ViT's patch embedding."""

import torch

from dlprep.grading.spec import mistake

GRID_TO_PATCHES = (0, 2, 4, 1, 3, 5)
"""(B, C, h, P, w, P) -> (B, h, w, C, P, P): row-major patches, each in (C, P, P) order."""


def _patchify(*, order=GRID_TO_PATCHES, permute=True, crop=False):
    """Patches taken with `order` applied to the (B, C, h, P, w, P) grid (the reference's by default)."""

    def patchify(images, patch_size):
        B, C, H, W = images.shape
        P = patch_size
        if crop:
            H, W = H - H % P, W - W % P
            images = images[:, :, :H, :W]
        elif H % P or W % P:
            raise ValueError(f"the image is {H}×{W}: both sides must be multiples of the patch size {P}")
        N = (H // P) * (W // P)
        if not permute:
            return images.reshape(B, N, C * P * P)
        return images.reshape(B, C, H // P, P, W // P, P).permute(*order).reshape(B, N, C * P * P)

    return patchify


def _patch_embed(*, cls_last=False, pos_before_cls=False, weight_as_in_out=False):
    patchify = _patchify()

    def patch_embed(images, patch_size, weight, bias, cls_token, pos_embed):
        D = weight.size(0)
        projection = weight.reshape(-1, D) if weight_as_in_out else weight.reshape(D, -1).T
        tokens = patchify(images, patch_size) @ projection + bias
        cls = cls_token.expand(images.size(0), -1, -1)
        if pos_before_cls:
            return torch.cat([cls, tokens + pos_embed[:, 1:]], dim=1)
        return (torch.cat([tokens, cls], dim=1) if cls_last else torch.cat([cls, tokens], dim=1)) + pos_embed

    return patch_embed


MISTAKES = [
    mistake(
        "column-major-patches",
        "The patches are ordered column by column (down the first column of patches, then the next) "
        "instead of row by row. A Conv2d's (B, D, h, w) output flattened with `.flatten(2)` is row-major: "
        "patch n = r·w + c sits at row r, column c, and the position embeddings are learned in that order.",
        patchify=_patchify(order=(0, 4, 2, 1, 3, 5)),
    ),
    mistake(
        "channels-last-flatten",
        "Each patch is flattened in (P, P, C) order (pixel by pixel, the channels innermost) instead of "
        "(C, P, P). A Conv2d(C, D, kernel_size=P, stride=P) weight is (D, C, P, P): the patch must be "
        "flattened the same way for the product with the flattened weight to be that convolution.",
        patchify=_patchify(order=(0, 2, 4, 3, 5, 1)),
    ),
    mistake(
        "reshape-without-permute",
        "The image is reshaped straight to (B, N, C·P·P): each row then holds C·P·P consecutive values of "
        "memory (parts of image rows, across patch borders), not a P × P patch. Split H and W into "
        "(h, P) and (w, P) first, move the patch indices h, w before C, P, P (permute), then flatten.",
        patchify=_patchify(permute=False),
    ),
    mistake(
        "crops-instead-of-raising",
        "An image whose sides are not multiples of P is silently cropped to whole patches. The contract "
        "asks for a ValueError: dropping the last rows or columns hides a wrong image size (torchvision's "
        "ViT refuses it too).",
        patchify=_patchify(crop=True),
    ),
    mistake(
        "cls-after-patches",
        "The class token is appended after the patches instead of prepended. ViT (and torchvision) put it "
        "at position 0, x₀ = [x_class; x_p¹E; …], so the classifier head reads token 0 and the position "
        "embedding 0 belongs to it.",
        patch_embed=_patch_embed(cls_last=True),
    ),
    mistake(
        "pos-before-cls",
        "The position embeddings are added to the patch tokens (pos_embed[:, 1:]) before the class token is "
        "prepended, so the class token gets no position embedding. E_pos has N + 1 rows: add it to all "
        "N + 1 tokens after the concatenation.",
        patch_embed=_patch_embed(pos_before_cls=True),
    ),
    mistake(
        "weight-as-in-out",
        "The Conv2d weight is reshaped as (C·P·P, D) (`weight.reshape(-1, D)`) instead of "
        "(D, C·P·P) and transposed. (D, C, P, P) in memory is D rows of C·P·P values: "
        "`weight.reshape(D, -1).T` is the (C·P·P, D) matrix that patches @ W needs.",
        patch_embed=_patch_embed(weight_as_in_out=True),
    ),
]
