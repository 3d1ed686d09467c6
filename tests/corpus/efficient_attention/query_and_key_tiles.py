"""FlashAttention's full tiling: loops over query tiles and key tiles with per-row statistics kept as vectors, a mask from Python lists, linear attention by broadcasting and sums instead of matmul."""

import math

import torch


def _attend_tile(q, K, V, first_query, block_size, causal):
    """Online softmax of one query tile against all the key tiles."""
    rows = q.shape[-2]
    m = q.new_full(q.shape[:-1], -math.inf)  # (..., rows)
    l = q.new_zeros(q.shape[:-1])
    o = None
    query_index = torch.arange(first_query, first_query + rows, device=q.device)
    for start in range(0, K.shape[-2], block_size):
        if causal and start > first_query + rows - 1:
            break  # every key from here on is in the future of the whole tile
        k, v = K[..., start : start + block_size, :], V[..., start : start + block_size, :]
        s = (q @ k.transpose(-2, -1)) / math.sqrt(q.shape[-1])
        if causal:
            key_index = torch.arange(start, start + k.shape[-2], device=q.device)
            s = s.masked_fill(key_index.unsqueeze(0) > query_index.unsqueeze(1), -math.inf)
        m_new = torch.maximum(m, s.amax(dim=-1))
        p = torch.exp(s - m_new.unsqueeze(-1))
        alpha = torch.exp(m - m_new)
        l = alpha * l + p.sum(dim=-1)
        pv = p @ v
        o = pv if o is None else alpha.unsqueeze(-1) * o + pv
        m = m_new
    return o / l.unsqueeze(-1)


def flash_attention(Q, K, V, block_size=64, causal=False):
    tiles = [
        _attend_tile(Q[..., first : first + block_size, :], K, V, first, block_size, causal)
        for first in range(0, Q.shape[-2], block_size)
    ]
    return torch.cat(tiles, dim=-2)


def local_attention_mask(n, window, global_tokens=(), device=None):
    special = set(global_tokens)
    rows = [[abs(i - j) <= window or i in special or j in special for j in range(n)] for i in range(n)]
    return torch.tensor(rows, dtype=torch.bool, device=device)


def linear_attention(Q, K, V, eps=1e-6):
    phi_q = torch.where(Q > 0, Q + 1, torch.exp(Q.clamp(max=0)))  # elu(x) + 1 written out
    phi_k = torch.where(K > 0, K + 1, torch.exp(K.clamp(max=0)))
    kv = (phi_k.unsqueeze(-1) * V.unsqueeze(-2)).sum(dim=-3)  # (..., d_k, d_v)
    z = phi_k.sum(dim=-2)  # (..., d_k)
    numerator = (phi_q.unsqueeze(-1) * kv.unsqueeze(-3)).sum(dim=-2)  # (..., L, d_v)
    normaliser = (phi_q * z.unsqueeze(-2)).sum(dim=-1, keepdim=True)
    return numerator / (normaliser + eps)


def linformer_attention(Q, K, V, E, F):
    keys = (K.transpose(-2, -1) @ E.T).transpose(-2, -1)  # (..., k, d_k)
    values = (V.transpose(-2, -1) @ F.T).transpose(-2, -1)
    weights = torch.softmax(Q @ keys.transpose(-2, -1) / math.sqrt(Q.shape[-1]), dim=-1)
    return weights @ values
