"""Mistakes interviewers see in flash, sparse, linear and Linformer attention."""

import math

import torch

from dlprep.grading.spec import mistake


def _flash(*, rescale_sum=True, rescale_output=True, subtract_max=True, global_key_index=True,
           bottom_right=False, normalise_per_block=False):
    """Online-softmax attention with one part done the given way (all defaults: the reference)."""

    def flash_attention(Q, K, V, block_size=64, causal=False):
        L, S = Q.size(-2), K.size(-2)
        lead = torch.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
        running_max = Q.new_full((*lead, L, 1), float("-inf"))
        running_sum = Q.new_zeros((*lead, L, 1))
        acc = Q.new_zeros((*lead, L, V.size(-1)))
        rows = torch.arange(L, device=Q.device).unsqueeze(-1) + (S - L if bottom_right else 0)
        blocks = []
        for start in range(0, S, block_size):
            K_block, V_block = K[..., start : start + block_size, :], V[..., start : start + block_size, :]
            scores = Q @ K_block.transpose(-2, -1) / math.sqrt(Q.size(-1))
            if causal:
                cols = torch.arange(K_block.size(-2), device=Q.device) + (start if global_key_index else 0)
                scores = scores.masked_fill(cols > rows, float("-inf"))
            if normalise_per_block:
                blocks.append(torch.softmax(scores, dim=-1) @ V_block)
                continue
            new_max = torch.maximum(running_max, scores.amax(dim=-1, keepdim=True)) if subtract_max else Q.new_zeros(())
            correction = torch.exp(running_max - new_max)
            weights = torch.exp(scores - new_max)
            running_sum = (correction * running_sum if rescale_sum else running_sum) + weights.sum(dim=-1, keepdim=True)
            acc = (correction * acc if rescale_output else acc) + weights @ V_block
            running_max = new_max
        if normalise_per_block:
            return torch.stack(blocks).mean(dim=0)
        return acc / running_sum

    return flash_attention


def _local_mask(*, within=lambda distance, window: distance <= window, global_columns=True):
    def local_attention_mask(n, window, global_tokens=(), device=None):
        positions = torch.arange(n, device=device)
        near = within((positions.unsqueeze(-1) - positions).abs(), window)
        is_global = torch.isin(positions, torch.as_tensor(list(global_tokens), dtype=torch.long, device=device))
        mask = near | is_global.unsqueeze(-1)
        return mask | is_global if global_columns else mask

    return local_attention_mask


def _linear(*, feature_map=lambda x: torch.nn.functional.elu(x) + 1.0, normalise_over_queries=False, use_eps=True):
    def linear_attention(Q, K, V, eps=1e-6):
        phi_q, phi_k = feature_map(Q), feature_map(K)
        if normalise_over_queries:
            # weights φ(Qᵢ)·φ(Kⱼ) divided by their sum over the queries i, per key j
            per_key = phi_k @ phi_q.sum(dim=-2).unsqueeze(-1)  # (..., S, 1)
            return phi_q @ ((phi_k / (per_key + eps)).transpose(-2, -1) @ V)
        normaliser = phi_q @ phi_k.sum(dim=-2).unsqueeze(-1)
        return (phi_q @ (phi_k.transpose(-2, -1) @ V)) / (normaliser + eps if use_eps else normaliser)

    return linear_attention


def _linformer(*, swap=False, scale=lambda d_k, k: math.sqrt(d_k)):
    def linformer_attention(Q, K, V, E, F):
        key_projection, value_projection = (F, E) if swap else (E, F)
        scores = Q @ (key_projection @ K).transpose(-2, -1) / scale(Q.size(-1), E.size(0))
        return torch.softmax(scores, dim=-1) @ (value_projection @ V)

    return linformer_attention


MISTAKES = [
    mistake(
        "no-rescale",
        "When a block raises the running max from m to m', neither the running sum l nor the output "
        "accumulator is multiplied by exp(m − m'). Everything summed so far was exp(s − m), while the new "
        "block adds exp(s − m'): the terms no longer share one reference, and the result is not "
        "softmax(QKᵀ/√dₖ)V. Online softmax is exact only because both are rescaled: l ← exp(m − m')·l + Σ exp(s − m'), "
        "o ← exp(m − m')·o + Σ exp(s − m')V.",
        flash_attention=_flash(rescale_sum=False, rescale_output=False),
    ),
    mistake(
        "rescale-output-only",
        "The output accumulator is rescaled by exp(m − m') when the max changes, but the running sum l "
        "is not: l ← exp(m − m')·l + Σ exp(s − m'). Numerator and denominator of o / l must be measured "
        "against the same max, or the final division mixes terms taken relative to different maxima.",
        flash_attention=_flash(rescale_sum=False),
    ),
    mistake(
        "no-running-max",
        "The scores are exponentiated without subtracting a running max: exp(s) overflows to inf once "
        "a score passes about 709 in float64 (88 in float32), and inf/inf is NaN. The running max m "
        "is what makes online softmax stable; exp(s − m) ≤ 1 always.",
        flash_attention=_flash(subtract_max=False),
    ),
    mistake(
        "causal-block-offset",
        "The causal mask of each block compares the query index with the key's index *inside the block* "
        "(0 … b−1) instead of its position in the sequence (start + 0 … start + b−1), so queries see "
        "future keys in every block but the first. Mask with j_global = start + j ≤ i.",
        flash_attention=_flash(global_key_index=False),
    ),
    mistake(
        "causal-bottom-right",
        "The causal mask is aligned bottom-right (query i sees keys j ≤ i + S − L, FlashAttention-2's "
        "convention for L ≠ S). The contract follows F.scaled_dot_product_attention(is_causal=True): "
        "top-left, query i sees keys j ≤ i whatever L and S are. The two agree only when L = S.",
        flash_attention=_flash(bottom_right=True),
    ),
    mistake(
        "block-local-softmax",
        "Each block is normalised on its own (a softmax over its b keys) and the block outputs are "
        "averaged. The softmax's denominator runs over all S keys, so blocks must share one running "
        "max and one running sum; averaging per-block softmaxes weights a key by the size and scores "
        "of its block.",
        flash_attention=_flash(normalise_per_block=True),
    ),
    mistake(
        "window-off-by-one",
        "The local window uses |i − j| < window instead of |i − j| ≤ window: each position sees one key "
        "fewer on each side (and with window = 0, not even itself).",
        local_attention_mask=_local_mask(within=lambda distance, window: distance < window),
    ),
    mistake(
        "global-rows-only",
        "Global tokens are given full rows (they attend to every position) but not full columns: every "
        "position must also attend to them (mask[i, g] = True for every i). Global attention in "
        "Longformer and BigBird is symmetric.",
        local_attention_mask=_local_mask(global_columns=False),
    ),
    mistake(
        "feature-map-can-be-negative",
        "The feature map is elu(x) without the + 1: it takes values down to −1, so φ(Qᵢ)·φ(Kⱼ) can be "
        "negative and the normaliser φ(Qᵢ)·Σⱼφ(Kⱼ) can be close to 0 or below it. φ(x) = elu(x) + 1 is "
        "positive everywhere, so every weight is positive and the normaliser is a sum of positive terms.",
        linear_attention=_linear(feature_map=torch.nn.functional.elu),
    ),
    mistake(
        "relu-feature-map",
        "The feature map is relu(x) instead of elu(x) + 1. ReLU is 0 for every negative input: whole "
        "rows of φ(Q) vanish, the normaliser is 0 (only ε remains), and no gradient flows where x < 0. "
        "elu(x) + 1 = eˣ there: positive, with a gradient.",
        linear_attention=_linear(feature_map=torch.relu),
    ),
    mistake(
        "normaliser-over-queries",
        "Each weight φ(Qᵢ)·φ(Kⱼ) is divided by its sum over the queries i (per key j) instead of over the "
        "keys j (per query i): the analogue of a softmax over the wrong dimension. The normaliser of "
        "query i is φ(Qᵢ)·Σⱼφ(Kⱼ), summed over the S keys.",
        linear_attention=_linear(normalise_over_queries=True),
    ),
    mistake(
        "no-eps",
        "The normaliser is used without + eps. When φ(Q) "
        "and φ(K) are tiny (very negative inputs: elu(x) + 1 ≈ eˣ), φ(Qᵢ)·Σⱼφ(Kⱼ) is tiny too, and eps "
        "is what keeps the division bounded: out = φ(Q)(φ(K)ᵀV) / (φ(Q)·Σⱼφ(Kⱼ) + eps).",
        linear_attention=_linear(use_eps=False),
    ),
    mistake(
        "projections-swapped",
        "E and F are swapped: F projects the keys and E the values. Linformer's formula is "
        "softmax(Q(EK)ᵀ/√dₖ)(FV): E for the keys, F for the values.",
        linformer_attention=_linformer(swap=True),
    ),
    mistake(
        "scale-by-k",
        "The scores are divided by √k (the projected length) instead of √dₖ. The scale keeps each dot "
        "product q·k, a sum over dₖ features, at unit variance; projecting the sequence does not change dₖ.",
        linformer_attention=_linformer(scale=lambda d_k, k: math.sqrt(k)),
    ),
]
