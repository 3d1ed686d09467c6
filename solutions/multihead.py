"""Reference for `multihead`: MultiHead(Q, K, V) = Concat(head₁, ..., headₕ)Wᴼ, as nn.MultiheadAttention.

Batch-first, with nn.MultiheadAttention's parameter layout: in_proj_weight stacks W_q, W_k, W_v
by rows, each (E, E) in nn.Linear's (out, in) layout. Each head works on d = E / h features.
"""

import math

import torch


def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias, mask=None):
    B, L, E = query.shape
    S = key.size(1)
    h, d = num_heads, E // num_heads  # d: the head dimension
    W_q, W_k, W_v = in_proj_weight.chunk(3)  # (E, E) each
    b_q, b_k, b_v = in_proj_bias.chunk(3)  # (E,) each

    # Project, then split E into h heads of d features: (B, L, E) -> (B, L, h, d) -> (B, h, L, d)
    q = (query @ W_q.T + b_q).view(B, L, h, d).transpose(1, 2)  # (B, h, L, d)
    k = (key @ W_k.T + b_k).view(B, S, h, d).transpose(1, 2)  # (B, h, S, d)
    v = (value @ W_v.T + b_v).view(B, S, h, d).transpose(1, 2)  # (B, h, S, d)

    scores = q @ k.transpose(-2, -1) / math.sqrt(d)  # (B, h, L, S): scaled by √d, not √E
    if mask is not None:
        if mask.dim() == 3:
            mask = mask.unsqueeze(1)  # (B, 1, L, S): the same mask for every head
        scores = scores.masked_fill(mask == 0, float("-inf"))  # True/1 = may attend
    weights = torch.softmax(scores, dim=-1)  # (B, h, L, S), over the keys

    heads = (weights @ v).transpose(1, 2).reshape(B, L, E)  # Concat(head₁, ..., headₕ): (B, L, E)
    output = heads @ out_proj_weight.T + out_proj_bias  # Wᴼ: (B, L, E)
    return output, weights.mean(dim=1)  # (B, L, E), (B, L, S) averaged over the heads
