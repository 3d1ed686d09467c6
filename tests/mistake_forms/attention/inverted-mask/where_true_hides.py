"""torch.where that puts -inf where the mask is True."""

import math

import torch


def self_attention(Q, K, V, mask=None):
    scores = torch.einsum("...ld,...sd->...ls", Q, K) / math.sqrt(Q.shape[-1])
    if mask is not None:
        scores = torch.where(mask.bool(), torch.full_like(scores, float("-inf")), scores)
    weights = torch.softmax(scores, dim=-1)
    return torch.einsum("...ls,...sv->...lv", weights, V), weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

