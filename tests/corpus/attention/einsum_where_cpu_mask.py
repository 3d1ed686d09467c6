"""einsum scores scaled by a 0-dim torch.sqrt(torch.tensor(d_k)), torch.where with a 0-dim -inf, the causal mask built on the CPU and moved with .to."""

import torch


def self_attention(Q, K, V, mask=None):
    d_k = torch.tensor(Q.shape[-1], dtype=Q.dtype)  # 0-dim: mixes with tensors on any device
    scores = torch.einsum("...ld,...sd->...ls", Q, K) / torch.sqrt(d_k)  # (..., L, S)
    if mask is not None:
        scores = torch.where(mask.bool(), scores, torch.tensor(float("-inf")))
    weights = scores.softmax(dim=-1)
    return torch.einsum("...ls,...sv->...lv", weights, V), weights  # (..., L, d_v), (..., L, S)


def causal_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool)).to(device)  # built on the CPU, then moved
