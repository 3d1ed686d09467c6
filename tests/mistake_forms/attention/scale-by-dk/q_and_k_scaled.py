"""Q and K each divided by √dₖ "for symmetry", so the scores are divided by dₖ."""

import math

import torch


def self_attention(Q, K, V, mask=None):
    d_k = Q.shape[-1]
    q, k = Q / math.sqrt(d_k), K / math.sqrt(d_k)
    scores = q @ k.transpose(-1, -2)
    if mask is not None:
        scores = scores.masked_fill(~mask.bool(), -1e9)
    weights = scores.softmax(dim=-1)
    return weights @ V, weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

