"""Weights as exp(scores − log Σ exp(scores)), the log-sum-exp taken without its max."""

import math

import torch


def self_attention(Q, K, V, mask=None):
    scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    log_norm = torch.log(torch.sum(torch.exp(scores), dim=-1, keepdim=True))
    weights = torch.exp(scores - log_norm)
    return weights @ V, weights


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))

