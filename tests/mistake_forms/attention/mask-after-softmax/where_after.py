"""torch.where zeroes the masked weights after the softmax, without renormalising."""

import math

import torch


def self_attention(Q, K, V, mask=None):
    weights = torch.softmax(Q @ K.transpose(-2, -1) / math.sqrt(Q.size(-1)), dim=-1)
    if mask is not None:
        weights = torch.where(mask == 0, torch.zeros_like(weights), weights)
    return weights @ V, weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

