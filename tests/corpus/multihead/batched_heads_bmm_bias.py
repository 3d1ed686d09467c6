"""Heads folded into the batch for torch.bmm, the mask turned into an additive -inf bias, scores scaled by a 0-dim torch.rsqrt(torch.tensor(d))."""

import torch


def _project(x, W, b, num_heads):
    B, n, E = x.shape
    d = E // num_heads
    y = torch.addmm(b, x.reshape(B * n, E), W.t())  # (B·n, E)
    return y.reshape(B, n, num_heads, d).permute(0, 2, 1, 3).reshape(B * num_heads, n, d)  # (B·h, n, d)


def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias, mask=None):
    B, L, E = query.shape
    S = key.shape[1]
    h, d = num_heads, E // num_heads
    W, b = in_proj_weight, in_proj_bias
    q = _project(query, W[:E], b[:E], h)
    k = _project(key, W[E:2 * E], b[E:2 * E], h)
    v = _project(value, W[2 * E:], b[2 * E:], h)
    scores = torch.bmm(q, k.transpose(1, 2)) * torch.rsqrt(torch.tensor(d, dtype=query.dtype))  # (B·h, L, S)
    if mask is not None:
        full = mask.reshape(-1, 1, L, S).expand(B, h, L, S).reshape(B * h, L, S)
        scores = scores + torch.zeros_like(scores).masked_fill(full == 0, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    context = torch.bmm(weights, v).reshape(B, h, L, d).transpose(1, 2).reshape(B, L, E)
    output = torch.addmm(out_proj_bias, context.reshape(B * L, E), out_proj_weight.t()).reshape(B, L, E)
    return output, weights.reshape(B, h, L, S).mean(dim=1)
