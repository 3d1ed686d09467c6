"""Projections through F.linear on the submodules' weights, einsum over a head axis, torch.where with a 0-dim -inf, FFN with torch.relu."""

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

    def _heads(self, x, proj):
        return F.linear(x, proj.weight, proj.bias).unflatten(-1, (self.num_heads, -1))  # (B, n, h, d)

    def forward(self, query, key, value, mask=None):
        q, k, v = self._heads(query, self.q_proj), self._heads(key, self.k_proj), self._heads(value, self.v_proj)
        scores = torch.einsum("blhd,bshd->bhls", q, k) / math.sqrt(q.shape[-1])  # (B, h, L, S)
        if mask is not None:
            allowed = (mask != 0).unsqueeze(-3)  # (1, L, S) or (B, 1, L, S): one mask for every head
            scores = torch.where(allowed, scores, torch.tensor(float("-inf")))
        context = torch.einsum("bhls,bshd->blhd", scores.softmax(-1), v).flatten(2)  # (B, L, d_model)
        return F.linear(context, self.out_proj.weight, self.out_proj.bias)


class EncoderBlock(nn.Module):
    def __init__(self, d_model, num_heads, d_ff):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)

    def forward(self, x, mask=None):
        normed = self.norm1(x)
        x = x + self.self_attn(normed, normed, normed, mask=mask)
        return x + self.linear2(torch.relu(self.linear1(self.norm2(x))))


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
        normed = self.norm1(x)
        x = x + self.self_attn(normed, normed, normed, mask=tgt_mask)
        x = x + self.cross_attn(self.norm2(x), memory, memory, mask=memory_mask)
        return x + self.linear2(torch.relu(self.linear1(self.norm3(x))))
