"""torch.matmul with scores divided by a 0-dim tensor(d_k).sqrt(), masked_fill(mask == 0, -1e9) as in the guide, causal mask as the complement of triu(1)."""

import torch
import torch.nn.functional as F


def self_attention(Q, K, V, mask=None):
    scale = torch.tensor(K.size(-1), dtype=Q.dtype).sqrt()  # 0-dim
    scores = torch.matmul(Q, K.transpose(-2, -1)) / scale  # (..., L, S)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, -1e9)
    weights = F.softmax(scores, dim=-1)
    return torch.matmul(weights, V), weights


def causal_mask(n, device=None):
    above = torch.ones(n, n, dtype=torch.bool, device=device).triu(diagonal=1)  # strictly above the diagonal
    return ~above
