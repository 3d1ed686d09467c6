"""Kata `attention`: scaled dot-product self-attention.

Implement both functions without `F.scaled_dot_product_attention`,
`nn.MultiheadAttention` or `F.multi_head_attention_forward`. Grade with
`dlprep grade attention`.
"""

import math

import torch


def self_attention(Q, K, V, mask=None):
    """Scaled dot-product attention: softmax(QKᵀ / √dₖ) V.

    Args:
        Q: (..., L, d_k) queries.
        K: (..., S, d_k) keys.
        V: (..., S, d_v) values. Leading dimensions of Q, K and V broadcast.
        mask: optional, broadcastable to (..., L, S); True (or 1) where a query
            may attend to a key, False (or 0) where it may not.

    Returns:
        (output, weights): output (..., L, d_v) and the attention weights
        (..., L, S), each row summing to 1 over the keys.
    """
    raise NotImplementedError


def causal_mask(n, device=None):
    """An (n, n) boolean mask, True on and below the diagonal: position i may attend to j <= i."""
    raise NotImplementedError
