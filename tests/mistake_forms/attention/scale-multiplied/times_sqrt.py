"""einsum scores multiplied by dₖ ** 0.5 instead of divided."""

import torch


def self_attention(Q, K, V, mask=None):
    d_k = K.size(-1)
    scores = torch.einsum("...id,...jd->...ij", Q, K) * d_k ** 0.5
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    weights = torch.softmax(scores, -1)
    return torch.einsum("...ij,...jd->...id", weights, V), weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

