"""The causal mask in nn.Transformer's convention: True above the diagonal, where keys are hidden."""

import math

import torch


def self_attention(Q, K, V, mask=None):
    scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ V, weights


def causal_mask(n, device=None):
    i = torch.arange(n, device=device)
    return i[None, :] > i[:, None]  # (n, n): key j after query i
