"""The mask added as a bias, -1e9 where the mask is 1: the keys that may be attended are the ones hidden."""

import math

import torch


def self_attention(Q, K, V, mask=None):
    scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.size(-1))
    if mask is not None:
        scores = scores + mask.to(scores.dtype) * -1e9
    weights = torch.softmax(scores, dim=-1)
    return weights @ V, weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

