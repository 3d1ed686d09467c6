"""A Python loop over heads, each with its own row block of the projection weights, the mask applied only when a Python if finds it hides something, weights averaged with a running sum."""

import math

import torch


def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias, mask=None):
    E = query.shape[-1]
    d = E // num_heads
    if mask is not None and not bool((mask == 0).any()):
        mask = None  # nothing hidden: skip the fill (a host sync, outside the autograd path)
    heads = []
    weight_sum = 0
    for i in range(num_heads):
        rows = slice(i * d, (i + 1) * d)
        q = query @ in_proj_weight[rows].T + in_proj_bias[rows]  # (B, L, d)
        k = key @ in_proj_weight[E:][rows].T + in_proj_bias[E:][rows]  # (B, S, d)
        v = value @ in_proj_weight[2 * E:][rows].T + in_proj_bias[2 * E:][rows]  # (B, S, d)
        scores = q @ k.transpose(1, 2) / math.sqrt(d)  # (B, L, S)
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)  # (L, S) and (B, L, S) both broadcast
        w = torch.softmax(scores, dim=-1)
        heads.append(w @ v)
        weight_sum = weight_sum + w
    concat = torch.cat(heads, dim=-1)  # (B, L, E): head i in features i·d … (i+1)·d − 1
    return concat @ out_proj_weight.T + out_proj_bias, weight_sum / num_heads
