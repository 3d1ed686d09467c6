"""Kata `multihead`: multi-head attention, as nn.MultiheadAttention(batch_first=True) computes it.

Implement it without `F.scaled_dot_product_attention`, `nn.MultiheadAttention` or
`F.multi_head_attention_forward`. Grade with `dlprep grade multihead`.

MASK CONVENTION: here True (or 1) means *may attend*, as in the guide's
`masked_fill(mask == 0, -inf)`. nn.MultiheadAttention's boolean `attn_mask` means
the opposite (True = masked).
"""

import math

import torch


def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias, mask=None):
    """Multi-head attention (guide, section 3.4):

        MultiHead(Q, K, V) = Concat(head₁, ..., headₕ) Wᴼ
        headᵢ = Attention(Q Wᵢᵠ, K Wᵢᴷ, V Wᵢⱽ),   Attention(q, k, v) = softmax(q kᵀ / √d) v

    with h = num_heads heads of d = E / h features each (scale by √d, the head
    dimension). In PyTorch's layout the h matrices Wᵢᵠ are the row blocks of one
    (E, E) matrix W_q, and a projection is x @ W_q.T + b_q (nn.Linear's (out, in)).

    Args:
        query: (B, L, E) batch first.
        key: (B, S, E).
        value: (B, S, E).
        num_heads: h, which divides E.
        in_proj_weight: (3E, E), W_q, W_k, W_v stacked by rows (as nn.MultiheadAttention).
        in_proj_bias: (3E,), b_q, b_k, b_v stacked.
        out_proj_weight: (E, E), Wᴼ in nn.Linear's layout.
        out_proj_bias: (E,).
        mask: optional (L, S) or (B, L, S), bool or 0/1; True/1 = may attend,
            False/0 = masked. The same mask applies to every head.

    Returns:
        (output, weights): output (B, L, E), and the attention weights averaged
        over the heads, (B, L, S), as nn.MultiheadAttention returns them
        (need_weights=True, average_attn_weights=True).
    """
    raise NotImplementedError
