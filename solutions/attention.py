"""Reference for `attention`: scaled dot-product attention, softmax(QKᵀ/√dₖ)V."""

import math

import torch


def self_attention(Q, K, V, mask=None):
    d_k = Q.size(-1)
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)  # (..., L, S)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # over the keys
    return weights @ V, weights  # (..., L, d_v), (..., L, S)


def causal_mask(n, device=None):
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()
