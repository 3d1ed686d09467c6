"""Kata `transformer_block`: pre-LN transformer encoder and decoder blocks.

The `__init__` methods are written for you: they create the submodules with the names the
grader's state dicts use (keep them). Write the three `forward` methods. Forbidden:
`nn.MultiheadAttention`, `nn.Transformer*`, `F.scaled_dot_product_attention`,
`F.multi_head_attention_forward`. Grade with `dlprep grade transformer_block`.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    """MultiHead(Q, K, V) = Concat(head₁, ..., headₕ) Wᴼ,  headᵢ = softmax(qᵢ kᵢᵀ / √d) vᵢ.

    q = query W_qᵀ + b_q (q_proj), k = key W_kᵀ + b_k (k_proj), v = value W_vᵀ + b_v (v_proj),
    each (B, ·, d_model), split into h = num_heads heads of d = d_model / h features; the
    concatenated heads go through out_proj (Wᴼ).
    """

    def __init__(self, d_model, num_heads):
        super().__init__()
        assert d_model % num_heads == 0, "num_heads must divide d_model"
        self.num_heads = num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, query, key, value, mask=None):
        """query (B, L, d_model), key and value (B, S, d_model) -> (B, L, d_model).

        mask: None, (L, S) or (B, L, S) (a 3-D mask may have size-1 dimensions, e.g. a key
        padding mask (B, 1, S)), bool or 0/1; True/1 = may attend. Shared by all heads.
        """
        raise NotImplementedError


class EncoderBlock(nn.Module):
    """Pre-LN encoder block (guide: x → LayerNorm → MultiHeadAttn → +x → LayerNorm → FFN → +x):

        x = x + SelfAttention(LN₁(x), mask)
        x = x + FFN(LN₂(x)),       FFN(z) = linear2(ReLU(linear1(z))) = max(0, zW₁ᵀ + b₁)W₂ᵀ + b₂

    As nn.TransformerEncoderLayer(d_model, num_heads, d_ff, dropout=0.0, activation="relu",
    batch_first=True, norm_first=True). No dropout.
    """

    def __init__(self, d_model, num_heads, d_ff):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)

    def forward(self, x, mask=None):
        """x (B, L, d_model) -> (B, L, d_model); mask (L, L) or (B, L, L), True = may attend."""
        raise NotImplementedError


class DecoderBlock(nn.Module):
    """Pre-LN decoder block (guide: x → LayerNorm → MaskedMultiHeadAttn → +x → LayerNorm →
    CrossAttn(encoder) → +x → LayerNorm → FFN → +x):

        x = x + SelfAttention(LN₁(x), tgt_mask)                      masked self-attention
        x = x + CrossAttention(LN₂(x), memory, memory, memory_mask)    queries from x, keys/values from memory
        x = x + FFN(LN₃(x))

    As nn.TransformerDecoderLayer(d_model, num_heads, d_ff, dropout=0.0, activation="relu",
    batch_first=True, norm_first=True). `memory` (the encoder's output) is used as it is.
    """

    def __init__(self, d_model, num_heads, d_ff):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.cross_attn = MultiHeadAttention(d_model, num_heads)
        self.norm3 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        """x (B, L, d_model), memory (B, S, d_model) -> (B, L, d_model).

        tgt_mask: (L, L) or (B, L, L) for the self-attention (usually causal: True on and below
        the diagonal); None means no mask — the block builds no causal mask itself.
        memory_mask: (L, S) or (B, L, S) for the cross-attention. True/1 = may attend.
        """
        raise NotImplementedError
