"""F.softmax(dim=1): the batch-first habit, which is the queries for 3-D input and the heads for 4-D."""

import math

import torch
import torch.nn.functional as F


def self_attention(Q, K, V, mask=None):
    scores = torch.matmul(Q, K.transpose(-2, -1)) / math.sqrt(Q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask == 0, -1e9)
    weights = F.softmax(scores, dim=1)
    return torch.matmul(weights, V), weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

