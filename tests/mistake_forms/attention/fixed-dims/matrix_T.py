"""Q @ K.T, the matrix transpose, which reverses every dimension of a batched K."""

import math
import warnings

import torch


def self_attention(Q, K, V, mask=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = Q @ K.T / math.sqrt(Q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ V, weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

