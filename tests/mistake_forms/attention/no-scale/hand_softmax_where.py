"""A hand-written stable softmax and torch.where for the mask; the scores are never divided by √dₖ."""

import torch


def softmax(x):
    e = torch.exp(x - x.max(dim=-1, keepdim=True).values)
    return e / e.sum(dim=-1, keepdim=True)


def self_attention(Q, K, V, mask=None):
    scores = torch.matmul(Q, K.mT)  # (..., L, S)
    if mask is not None:
        scores = torch.where(mask.bool(), scores, torch.tensor(float("-inf"), dtype=scores.dtype))
    weights = softmax(scores)
    return torch.matmul(weights, V), weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

