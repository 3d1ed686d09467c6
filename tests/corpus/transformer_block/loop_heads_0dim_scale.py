"""A loop over heads on feature slices, scores divided by a 0-dim torch.tensor(d).sqrt(), masked_fill(mask == 0, -1e9), F.layer_norm called with the submodules' parameters."""

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

    def forward(self, query, key, value, mask=None):
        q, k, v = self.q_proj(query), self.k_proj(key), self.v_proj(value)  # (B, ·, d_model)
        d = q.shape[-1] // self.num_heads
        scale = torch.tensor(d, dtype=q.dtype).sqrt()  # 0-dim
        heads = []
        for i in range(self.num_heads):
            cols = slice(i * d, (i + 1) * d)
            scores = q[..., cols] @ k[..., cols].transpose(-2, -1) / scale  # (B, L, S)
            if mask is not None:
                scores = scores.masked_fill(mask == 0, -1e9)  # (L, S) and (B, L, S) both broadcast over (B, L, S)
            heads.append(torch.softmax(scores, dim=-1) @ v[..., cols])
        return self.out_proj(torch.cat(heads, dim=-1))


def _norm(layer, x):
    return F.layer_norm(x, layer.normalized_shape, layer.weight, layer.bias, layer.eps)


def _ffn(block, x):
    return block.linear2(F.relu(block.linear1(x)))


class EncoderBlock(nn.Module):
    def __init__(self, d_model, num_heads, d_ff):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)

    def forward(self, x, mask=None):
        a = _norm(self.norm1, x)
        h = x + self.self_attn(a, a, a, mask)
        return h + _ffn(self, _norm(self.norm2, h))


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
        a = _norm(self.norm1, x)
        h = x + self.self_attn(a, a, a, tgt_mask)
        h = h + self.cross_attn(_norm(self.norm2, h), memory, memory, memory_mask)
        return h + _ffn(self, _norm(self.norm3, h))
