"""Scale folded into Q, the mask as an additive finfo.min bias, softmax written by hand with the row max subtracted, causal mask from arange comparisons."""

import math

import torch


def _softmax(scores):
    shifted = scores - scores.amax(dim=-1, keepdim=True)  # every entry <= 0: exp cannot overflow
    e = shifted.exp()
    return e / e.sum(dim=-1, keepdim=True)


def self_attention(Q, K, V, mask=None):
    scores = (Q / math.sqrt(Q.size(-1))) @ K.transpose(-1, -2)  # (..., L, S)
    if mask is not None:
        keep = mask.to(scores.dtype)  # 1 = may attend
        scores = scores + (1.0 - keep) * torch.finfo(scores.dtype).min  # masked scores sink to the dtype's minimum
    weights = _softmax(scores)
    return weights @ V, weights


def causal_mask(n, device=None):
    position = torch.arange(n, device=device)
    return position[:, None] >= position[None, :]  # (n, n): query i sees keys j <= i
