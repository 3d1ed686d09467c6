"""Reference for `efficient_attention`: the guide's answers to "why is self-attention O(n²)?".

- flash_attention: exact softmax(QKᵀ/√dₖ)V, one block of keys at a time (online softmax);
- local_attention_mask: sparse attention's local window plus global tokens;
- linear_attention: φ(Q)(φ(K)ᵀV) / (φ(Q)·Σⱼφ(Kⱼ) + ε) with φ(x) = elu(x) + 1;
- linformer_attention: softmax(Q(EK)ᵀ/√dₖ)(FV), keys and values projected from S to k positions.
"""

import math

import torch


def flash_attention(Q, K, V, block_size=64, causal=False):
    L, S = Q.size(-2), K.size(-2)
    lead = torch.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    scale = 1.0 / math.sqrt(Q.size(-1))
    running_max = Q.new_full((*lead, L, 1), float("-inf"))  # m: the largest score seen per query
    running_sum = Q.new_zeros((*lead, L, 1))  # l: Σ exp(score − m) over the keys seen
    acc = Q.new_zeros((*lead, L, V.size(-1)))  # Σ exp(score − m) v over the keys seen
    rows = torch.arange(L, device=Q.device).unsqueeze(-1)  # (L, 1)
    for start in range(0, S, block_size):
        K_block, V_block = K[..., start : start + block_size, :], V[..., start : start + block_size, :]
        scores = Q @ K_block.transpose(-2, -1) * scale  # (..., L, b): never more than block_size keys
        if causal:
            cols = torch.arange(start, start + K_block.size(-2), device=Q.device)  # global key indices (b,)
            scores = scores.masked_fill(cols > rows, float("-inf"))
        new_max = torch.maximum(running_max, scores.amax(dim=-1, keepdim=True))
        # Key 0 is in the first block and every query sees it, so new_max is finite from then on.
        correction = torch.exp(running_max - new_max)  # exp(m_old − m_new) ≤ 1: rescales what was summed so far
        weights = torch.exp(scores - new_max)  # (..., L, b)
        running_sum = correction * running_sum + weights.sum(dim=-1, keepdim=True)
        acc = correction * acc + weights @ V_block
        running_max = new_max
    return acc / running_sum


def local_attention_mask(n, window, global_tokens=(), device=None):
    positions = torch.arange(n, device=device)
    near = (positions.unsqueeze(-1) - positions).abs() <= window  # (n, n) band |i − j| ≤ window
    is_global = torch.isin(positions, torch.as_tensor(list(global_tokens), dtype=torch.long, device=device))
    return near | is_global.unsqueeze(-1) | is_global  # a global token sees, and is seen by, every position


def _feature_map(x):
    return torch.nn.functional.elu(x) + 1.0  # > 0 everywhere, so the normaliser is a sum of positive terms


def linear_attention(Q, K, V, eps=1e-6):
    phi_q, phi_k = _feature_map(Q), _feature_map(K)  # (..., L, d_k), (..., S, d_k)
    kv = phi_k.transpose(-2, -1) @ V  # (..., d_k, d_v): the keys summarised once, O(S d_k d_v)
    key_sum = phi_k.sum(dim=-2).unsqueeze(-1)  # (..., d_k, 1): Σⱼ φ(Kⱼ)
    normaliser = phi_q @ key_sum  # (..., L, 1)
    return (phi_q @ kv) / (normaliser + eps)


def linformer_attention(Q, K, V, E, F):
    # `F` is the Linformer paper's name for the value projection, so torch.nn.functional is not F here.
    K_proj, V_proj = E @ K, F @ V  # (..., k, d_k), (..., k, d_v): S positions projected down to k
    scores = Q @ K_proj.transpose(-2, -1) / math.sqrt(Q.size(-1))  # (..., L, k)
    return torch.softmax(scores, dim=-1) @ V_proj
