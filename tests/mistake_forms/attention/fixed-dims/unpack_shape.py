"""The shape unpacked as (B, L, d_k) and K transposed by fixed dimensions."""

import math

import torch


def self_attention(Q, K, V, mask=None):
    B, L, d_k = Q.shape
    scores = Q @ K.transpose(1, 2) / math.sqrt(d_k)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    weights = torch.softmax(scores, dim=2)
    return weights @ V, weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

