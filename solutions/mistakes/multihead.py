"""Mistakes interviewers see in multi-head attention."""

import math

import torch

from dlprep.grading.spec import mistake


def _split_heads(x, h):
    """(B, L, E) -> (B, h, L, d): the right way, through (B, L, h, d)."""
    B, L, E = x.shape
    return x.view(B, L, h, E // h).transpose(1, 2)


def _split_without_transpose(x, h):
    """(B, L, E) -> (B, h, L, d) by a bare view: each "head" gets slices of several positions."""
    B, L, E = x.shape
    return x.view(B, h, L, E // h)


def _merge_heads(x):
    """(B, h, L, d) -> (B, L, E): the inverse of `_split_heads`."""
    B, h, L, d = x.shape
    return x.transpose(1, 2).reshape(B, L, h * d)


def _merge_without_transpose(x):
    B, h, L, d = x.shape
    return x.reshape(B, L, h * d)


def _mha(
    *,
    scale=lambda E, h: math.sqrt(E // h),
    split=_split_heads,
    merge=_merge_heads,
    masked=lambda mask: mask == 0,
    average=lambda weights: weights.mean(dim=1),
    out_proj=True,
    transpose=True,
):
    """Multi-head attention with one part done the given way (all defaults: the reference)."""

    def linear(x, W, b):
        return x @ (W.T if transpose else W) + b

    def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias, mask=None):
        E = query.size(-1)
        W_q, W_k, W_v = in_proj_weight.chunk(3)
        b_q, b_k, b_v = in_proj_bias.chunk(3)
        q = split(linear(query, W_q, b_q), num_heads)
        k = split(linear(key, W_k, b_k), num_heads)
        v = split(linear(value, W_v, b_v), num_heads)
        scores = q @ k.transpose(-2, -1) / scale(E, num_heads)
        if mask is not None:
            if mask.dim() == 3:
                mask = mask.unsqueeze(1)
            scores = scores.masked_fill(masked(mask), float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        heads = merge(weights @ v)
        output = linear(heads, out_proj_weight, out_proj_bias) if out_proj else heads
        return output, average(weights)

    return multi_head_attention


MISTAKES = [
    mistake(
        "no-scale",
        "The scores are not divided by √d (d = E/h, the head dimension). Each head computes "
        "softmax(QKᵀ/√d)V: without the scale the dot products grow with d, the softmax saturates "
        "and its gradients vanish.",
        multi_head_attention=_mha(scale=lambda E, h: 1.0),
    ),
    mistake(
        "scale-by-embed-dim",
        "The scores are divided by √E (the model dimension) instead of √(E/h) (the head dimension). "
        "Each head's dot product runs over its own d = E/h features, so its variance is d, and √d is "
        "what keeps it at 1. The two agree only with a single head.",
        multi_head_attention=_mha(scale=lambda E, h: math.sqrt(E)),
    ),
    mistake(
        "heads-split-wrong",
        "The heads are split with a bare `view(B, h, L, d)` of the (B, L, E) projection. That cuts "
        "the memory in the wrong order: a \"head\" gets the features of several positions. Split the "
        "last dimension: `view(B, L, h, d).transpose(1, 2)` gives (B, h, L, d) with head i holding "
        "features i·d to (i+1)·d − 1 of every position.",
        multi_head_attention=_mha(split=_split_without_transpose, merge=_merge_without_transpose),
    ),
    mistake(
        "heads-merged-wrong",
        "The heads are concatenated with a bare `reshape(B, L, E)` of the (B, h, L, d) output. "
        "Concat(head₁, ..., headₕ) puts the heads side by side for each position: move the head "
        "dimension next to d first, `transpose(1, 2).reshape(B, L, E)`.",
        multi_head_attention=_mha(merge=_merge_without_transpose),
    ),
    mistake(
        "weights-not-averaged",
        "The attention weights are returned per head, (B, h, L, S). nn.MultiheadAttention (with "
        "need_weights=True, average_attn_weights=True, the contract's convention) returns their mean "
        "over the heads, (B, L, S).",
        multi_head_attention=_mha(average=lambda weights: weights),
    ),
    mistake(
        "weights-summed",
        "The attention weights are summed over the heads instead of averaged: each row then sums to "
        "h, not 1. nn.MultiheadAttention returns the mean over the heads.",
        multi_head_attention=_mha(average=lambda weights: weights.sum(dim=1)),
    ),
    mistake(
        "mask-inverted",
        "The mask is inverted: in this kata True/1 means *may attend*, so the scores to hide are where "
        "`mask == 0` (the guide's `masked_fill(mask == 0, -inf)`). nn.MultiheadAttention's boolean "
        "`attn_mask` means the opposite (True = masked): did you follow its convention?",
        multi_head_attention=_mha(masked=lambda mask: mask != 0),
    ),
    mistake(
        "missing-out-proj",
        "The output projection is missing: MultiHead(Q, K, V) = Concat(head₁, ..., headₕ)Wᴼ. The "
        "concatenated heads must go through `out_proj_weight` and `out_proj_bias` (x Wᴼᵀ + b in "
        "nn.Linear's layout).",
        multi_head_attention=_mha(out_proj=False),
    ),
    mistake(
        "weight-not-transposed",
        "The projections compute x @ W + b instead of x @ Wᵀ + b. The weights follow nn.Linear's "
        "(out, in) layout, so a linear layer is `x @ W.T + b`; every projection here is square "
        "(E × E), which is why the wrong one runs without a shape error.",
        multi_head_attention=_mha(transpose=False),
    ),
]
