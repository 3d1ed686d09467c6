"""einsum scores with the scale forgotten, F.softmax over the keys."""

import torch
import torch.nn.functional as F


def self_attention(Q, K, V, mask=None):
    scores = torch.einsum("...ld,...sd->...ls", Q, K)  # (..., L, S)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    weights = F.softmax(scores, dim=-1)
    return torch.einsum("...ls,...sv->...lv", weights, V), weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

