"""A module-style implementation that scales by the square root of the number of keys."""

import math

import torch
from torch import nn


class ScaledDotProduct(nn.Module):
    def forward(self, Q, K, V, mask=None):
        n_keys = K.shape[-2]
        scores = Q @ K.transpose(-2, -1) / math.sqrt(n_keys)
        if mask is not None:
            scores = scores.masked_fill(mask == 0, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return weights @ V, weights


def self_attention(Q, K, V, mask=None):
    return ScaledDotProduct()(Q, K, V, mask)


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

