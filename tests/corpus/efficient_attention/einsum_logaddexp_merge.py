"""einsum everywhere, blocks merged through a running log-sum-exp (torch.logaddexp), torch.where with a 0-dim finite fill, the mask from a loop over the global tokens."""

import math

import torch

MASKED = -1e30  # finite: a fully masked block gives a finite log-sum-exp that exp() turns into exactly 0


def flash_attention(Q, K, V, block_size=64, causal=False):
    L, S = Q.shape[-2], K.shape[-2]
    queries = torch.arange(L, device=Q.device)
    out = lse = None
    for start in range(0, S, block_size):
        stop = min(start + block_size, S)
        s = torch.einsum("...ld,...sd->...ls", Q, K[..., start:stop, :]) / math.sqrt(Q.shape[-1])
        if causal:
            keys = torch.arange(start, stop, device=Q.device)
            s = torch.where(keys[None, :] <= queries[:, None], s, torch.tensor(MASKED, dtype=s.dtype))
        block_lse = torch.logsumexp(s, dim=-1, keepdim=True)  # (..., L, 1)
        block_out = torch.einsum("...ls,...sv->...lv", torch.exp(s - block_lse), V[..., start:stop, :])
        if out is None:
            out, lse = block_out, block_lse
            continue
        new_lse = torch.logaddexp(lse, block_lse)
        out = out * torch.exp(lse - new_lse) + block_out * torch.exp(block_lse - new_lse)
        lse = new_lse
    return out


def local_attention_mask(n, window, global_tokens=(), device=None):
    i = torch.arange(n, device=device)
    mask = (i[:, None] - i[None, :]).abs() <= window
    for g in global_tokens:
        mask[g, :] = True
        mask[:, g] = True
    return mask


def linear_attention(Q, K, V, eps=1e-6):
    phi_q = torch.nn.functional.elu(Q) + 1
    phi_k = torch.nn.functional.elu(K) + 1
    kv = torch.einsum("...sd,...sv->...dv", phi_k, V)
    numerator = torch.einsum("...ld,...dv->...lv", phi_q, kv)
    normaliser = torch.einsum("...ld,...d->...l", phi_q, phi_k.sum(dim=-2))
    return numerator / (normaliser.unsqueeze(-1) + eps)


def linformer_attention(Q, K, V, E, F):
    keys = torch.einsum("ks,...sd->...kd", E, K)
    values = torch.einsum("ks,...sv->...kv", F, V)
    scores = torch.einsum("...ld,...kd->...lk", Q, keys) / math.sqrt(Q.shape[-1])
    return torch.einsum("...lk,...kv->...lv", scores.softmax(dim=-1), values)
