"""Reference for `transformer_block`: pre-LN transformer encoder and decoder blocks.

The same computation as nn.TransformerEncoderLayer / nn.TransformerDecoderLayer(d_model, nhead,
d_ff, dropout=0.0, activation="relu", batch_first=True, norm_first=True), with the attention
written out. Every sublayer is x = x + Sublayer(LayerNorm(x)): the residual stream x itself is
never normalised. Masks: True/1 = may attend.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    """MultiHead(Q, K, V) = Concat(head₁, ..., headₕ)Wᴼ, headᵢ = softmax(QWᵢᵠ(KWᵢᴷ)ᵀ/√d)VWᵢⱽ."""

    def __init__(self, d_model, num_heads):
        super().__init__()
        assert d_model % num_heads == 0, "num_heads must divide d_model"
        self.num_heads = num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, query, key, value, mask=None):  # query (B, L, E), key and value (B, S, E)
        B, L, E = query.shape
        S = key.size(1)
        h, d = self.num_heads, E // self.num_heads  # d: the head dimension
        q = self.q_proj(query).view(B, L, h, d).transpose(1, 2)  # (B, h, L, d)
        k = self.k_proj(key).view(B, S, h, d).transpose(1, 2)  # (B, h, S, d)
        v = self.v_proj(value).view(B, S, h, d).transpose(1, 2)  # (B, h, S, d)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d)  # (B, h, L, S)
        if mask is not None:
            if mask.dim() == 3:
                mask = mask.unsqueeze(1)  # (B, 1, L, S): the same mask for every head
            scores = scores.masked_fill(mask == 0, float("-inf"))  # True/1 = may attend
        weights = torch.softmax(scores, dim=-1)  # over the keys
        heads = (weights @ v).transpose(1, 2).reshape(B, L, E)  # Concat(head₁, ..., headₕ): (B, L, E)
        return self.out_proj(heads)  # Wᴼ


class EncoderBlock(nn.Module):
    def __init__(self, d_model, num_heads, d_ff):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)  # FFN(x) = max(0, xW₁ + b₁)W₂ + b₂
        self.linear2 = nn.Linear(d_ff, d_model)

    def forward(self, x, mask=None):  # x: (B, L, d_model)
        h = self.norm1(x)
        x = x + self.self_attn(h, h, h, mask)  # x → LayerNorm → MultiHeadAttn → +x
        x = x + self.linear2(F.relu(self.linear1(self.norm2(x))))  # → LayerNorm → FFN → +x
        return x  # (B, L, d_model)


class DecoderBlock(nn.Module):
    def __init__(self, d_model, num_heads, d_ff):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.cross_attn = MultiHeadAttention(d_model, num_heads)
        self.norm3 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):  # x (B, L, d_model), memory (B, S, d_model)
        h = self.norm1(x)
        x = x + self.self_attn(h, h, h, tgt_mask)  # masked self-attention: tgt_mask is (usually) causal
        x = x + self.cross_attn(self.norm2(x), memory, memory, memory_mask)  # queries from x, keys/values from memory
        x = x + self.linear2(F.relu(self.linear1(self.norm3(x))))  # FFN
        return x  # (B, L, d_model)
