"""F.softmax with no dim: PyTorch picks dim 0 for 3-D input, 1 otherwise (with a deprecation warning)."""

import math
import warnings

import torch
import torch.nn.functional as F


def self_attention(Q, K, V, mask=None):
    scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = F.softmax(scores)
    return weights @ V, weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

