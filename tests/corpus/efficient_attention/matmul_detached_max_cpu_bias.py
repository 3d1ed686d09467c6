"""matmul with the running max detached from the graph, the causal mask as an additive -inf bias built on the CPU and moved with .to, a band mask from triu/tril on the CPU, and `nnf` for torch.nn.functional since F is Linformer's."""

import torch
import torch.nn.functional as nnf


def flash_attention(Q, K, V, block_size=64, causal=False):
    L, S, d_v = Q.shape[-2], K.shape[-2], V.shape[-1]
    scale = torch.tensor(Q.shape[-1], dtype=Q.dtype).rsqrt()  # 0-dim: mixes with tensors on any device
    shape = torch.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2]) + (L,)
    m = torch.full(shape + (1,), float("-inf"), dtype=Q.dtype, device=Q.device)
    l = torch.zeros(shape + (1,), dtype=Q.dtype, device=Q.device)
    o = torch.zeros(shape + (d_v,), dtype=Q.dtype, device=Q.device)
    for start in range(0, S, block_size):
        k, v = K[..., start : start + block_size, :], V[..., start : start + block_size, :]
        s = torch.matmul(Q, k.transpose(-1, -2)) * scale
        if causal:
            b = k.shape[-2]
            future = torch.arange(start, start + b)[None, :] > torch.arange(L)[:, None]
            bias = torch.zeros(L, b).masked_fill(future, float("-inf"))
            s = s + bias.to(device=Q.device, dtype=Q.dtype)
        # o / l does not depend on m: no gradient needs to flow through it
        m_new = torch.maximum(m, s.max(dim=-1, keepdim=True).values).detach()
        p = torch.exp(s - m_new)
        alpha = torch.exp(m - m_new)
        l = l * alpha + p.sum(dim=-1, keepdim=True)
        o = o * alpha + torch.matmul(p, v)
        m = m_new
    return o / l


def local_attention_mask(n, window, global_tokens=(), device=None):
    band = torch.ones(n, n, dtype=torch.bool).triu(-window).tril(window)
    is_global = torch.zeros(n, dtype=torch.bool)
    is_global[list(global_tokens)] = True
    return (band | is_global[:, None] | is_global[None, :]).to(device)


def linear_attention(Q, K, V, eps=1e-6):
    phi_q, phi_k = nnf.elu(Q) + 1, nnf.elu(K) + 1
    numerator = torch.matmul(phi_q, torch.matmul(phi_k.transpose(-1, -2), V))
    normaliser = (phi_q * phi_k.sum(dim=-2, keepdim=True)).sum(dim=-1, keepdim=True)
    return numerator / (normaliser + eps)


def linformer_attention(Q, K, V, E, F):
    d_k = Q.shape[-1]
    scores = torch.matmul(Q, torch.matmul(E, K).transpose(-1, -2)) / d_k**0.5
    return torch.matmul(nnf.softmax(scores, dim=-1), torch.matmul(F, V))
