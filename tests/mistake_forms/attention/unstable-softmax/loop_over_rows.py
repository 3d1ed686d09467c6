"""Row by row over flattened leading dimensions, each row exp(s) / Σ exp(s)."""

import math

import torch


def self_attention(Q, K, V, mask=None):
    scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    rows = scores.reshape(-1, scores.shape[-1])
    weights = torch.stack([row.exp() / row.exp().sum() for row in rows]).reshape(scores.shape)
    return weights @ V, weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

