"""Heads folded into the batch for torch.bmm, masks as an additive -inf bias, one residual helper shared by every pre-LN sublayer."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        assert d_model % num_heads == 0, "num_heads must divide d_model"
        self.num_heads = num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def _fold(self, x):
        B, n, E = x.shape
        return x.reshape(B, n, self.num_heads, E // self.num_heads).transpose(1, 2).reshape(B * self.num_heads, n, -1)

    def forward(self, query, key, value, mask=None):
        B, L, E = query.shape
        S, h = key.shape[1], self.num_heads
        q, k, v = self._fold(self.q_proj(query)), self._fold(self.k_proj(key)), self._fold(self.v_proj(value))  # (B·h, ·, d)
        scores = torch.bmm(q, k.transpose(1, 2)) / math.sqrt(E // h)  # (B·h, L, S)
        if mask is not None:
            per_batch = mask.reshape(-1, 1, mask.shape[-2], S).expand(B, h, L, S).reshape(B * h, L, S)
            bias = torch.zeros_like(scores).masked_fill(per_batch == 0, float("-inf"))
            scores = scores + bias
        context = torch.bmm(torch.softmax(scores, dim=-1), v)  # (B·h, L, d)
        return self.out_proj(context.reshape(B, h, L, -1).transpose(1, 2).reshape(B, L, E))


def _residual(x, norm, sublayer):
    """Pre-LN: the stream x is added as it is; only the sublayer's input is normalised."""
    return x + sublayer(norm(x))


class EncoderBlock(nn.Module):
    def __init__(self, d_model, num_heads, d_ff):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)

    def forward(self, x, mask=None):
        x = _residual(x, self.norm1, lambda z: self.self_attn(z, z, z, mask))
        return _residual(x, self.norm2, lambda z: self.linear2(F.relu(self.linear1(z))))


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

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        x = _residual(x, self.norm1, lambda z: self.self_attn(z, z, z, tgt_mask))
        x = _residual(x, self.norm2, lambda z: self.cross_attn(z, memory, memory, memory_mask))
        return _residual(x, self.norm3, lambda z: self.linear2(F.relu(self.linear1(z))))
