"""Mistakes interviewers see in scaled dot-product attention."""

import math

import torch

from dlprep.grading.spec import mistake


def _attention(*, scale=lambda d_k: math.sqrt(d_k), dim=-1, masked=lambda mask: mask == 0, after_softmax=False):
    def self_attention(Q, K, V, mask=None):
        scores = Q @ K.transpose(-2, -1) / scale(Q.size(-1))
        if mask is not None and not after_softmax:
            scores = scores.masked_fill(masked(mask), float("-inf"))
        weights = torch.softmax(scores, dim=dim)
        if mask is not None and after_softmax:
            weights = weights.masked_fill(masked(mask), 0.0)
        return weights @ V, weights

    return self_attention


MISTAKES = [
    mistake(
        "no-scale",
        "The scores are not divided by √dₖ. The guide's formula is softmax(QKᵀ/√dₖ)V: without the "
        "scale, dot products grow with dₖ, the softmax saturates and its gradients vanish.",
        self_attention=_attention(scale=lambda d_k: 1.0),
    ),
    mistake(
        "scale-by-dk",
        "The scores are divided by dₖ instead of √dₖ. QKᵀ has variance dₖ for unit-variance inputs, so "
        "dividing by its standard deviation √dₖ keeps it at 1; dividing by dₖ shrinks it to 1/dₖ.",
        self_attention=_attention(scale=lambda d_k: d_k),
    ),
    mistake(
        "wrong-softmax-dim",
        "The softmax runs over the queries (dim=-2) instead of the keys (dim=-1): each query's weights "
        "over the S keys must sum to 1, so normalise along the last dimension of the (..., L, S) scores.",
        self_attention=_attention(dim=-2),
    ),
    mistake(
        "inverted-mask",
        "The mask is inverted: True/1 means *may attend*, so the scores to hide are where `mask == 0` "
        "(the guide's `masked_fill(mask == 0, -inf)`), not where the mask is True.",
        self_attention=_attention(masked=lambda mask: mask != 0),
    ),
    mistake(
        "mask-after-softmax",
        "The mask is applied after the softmax, so the remaining weights no longer sum to 1. Masked "
        "scores must be set to -∞ *before* the softmax, which then renormalises over the visible keys.",
        self_attention=_attention(after_softmax=True),
    ),
]
