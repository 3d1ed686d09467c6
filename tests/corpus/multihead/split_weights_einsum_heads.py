"""in_proj weights cut with Tensor.split, F.linear projections, einsum over an explicit head axis, masked_fill with -inf."""

import math

import torch
import torch.nn.functional as F


def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias, mask=None):
    B, L, E = query.shape
    d = E // num_heads
    W_q, W_k, W_v = in_proj_weight.split(E, dim=0)  # (E, E) each
    b_q, b_k, b_v = in_proj_bias.split(E)
    q = F.linear(query, W_q, b_q).unflatten(-1, (num_heads, d))  # (B, L, h, d)
    k = F.linear(key, W_k, b_k).unflatten(-1, (num_heads, d))  # (B, S, h, d)
    v = F.linear(value, W_v, b_v).unflatten(-1, (num_heads, d))  # (B, S, h, d)
    scores = torch.einsum("blhd,bshd->bhls", q, k) / math.sqrt(d)  # (B, h, L, S)
    if mask is not None:
        heads_axis = mask.unsqueeze(-3)  # (1, L, S) or (B, 1, L, S): shared by the heads
        scores = scores.masked_fill(heads_axis == 0, float("-inf"))
    weights = scores.softmax(dim=-1)
    context = torch.einsum("bhls,bshd->blhd", weights, v).flatten(-2)  # (B, L, E)
    return F.linear(context, out_proj_weight, out_proj_bias), weights.mean(dim=1)
