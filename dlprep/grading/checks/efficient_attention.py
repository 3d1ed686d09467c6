"""Cases for `efficient_attention`: flash_attention(Q, K, V, block_size=64, causal=False),
local_attention_mask(n, window, global_tokens=(), device=None), linear_attention(Q, K, V, eps=1e-6)
and linformer_attention(Q, K, V, E, F).

Flash and linear cases set `no_tensor_spanning = (L, S)`: no tensor the submission creates may
have both an L-sized and an S-sized dimension, so computing the full (L, S) scores (or an (L, S)
causal mask) and slicing it fails. For that to single out the scores, L, S, d_k, the block size and
every leading dimension are distinct in those cases, and S > block_size; the cases where L = S, or
where one block holds every key, are not watched.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import DEVICE, Case


def _qkv(rng, q_shape, k_shape, d_v, magnitude=1.0):
    *lead_k, S, _ = k_shape
    return {
        "Q": rng.standard_normal(q_shape) * magnitude,
        "K": rng.standard_normal(k_shape) * magnitude,
        "V": rng.standard_normal((*lead_k, S, d_v)),
    }


def _flash_case(rng, name, q_shape, k_shape, d_v, *, block_size=None, causal=False, watched=True,
                dtype="float64", magnitude=1.0, note=""):
    *lead_q, L, _ = q_shape
    *lead_k, S, _ = k_shape
    args = _qkv(rng, q_shape, k_shape, d_v, magnitude)
    if block_size is not None:
        args["block_size"] = block_size
    if causal:
        args["causal"] = True
    lead = np.broadcast_shapes(tuple(lead_q), tuple(lead_k))
    return Case(
        name=f"flash_attention, {name}",
        call="flash_attention",
        args=args,
        dtype=dtype,
        grad=("Q", "K", "V"),
        upstream=(rng.standard_normal((*lead, L, d_v)),),
        outputs=("output",),
        note=note,
        no_tensor_spanning=(L, S) if watched else None,
    )


def _mask_case(name, n, window, global_tokens=None, note=""):
    args = {"n": n, "window": window, "device": DEVICE}
    if global_tokens is not None:
        args["global_tokens"] = global_tokens
    return Case(f"local_attention_mask, {name}", "local_attention_mask", args, outputs=("mask",), note=note)


def _linear_case(rng, name, q_shape, k_shape, d_v, *, eps=None, shift=0.0, dtype="float64", note=""):
    args = _qkv(rng, q_shape, k_shape, d_v)
    args["Q"] += shift
    args["K"] += shift
    if eps is not None:
        args["eps"] = eps
    *lead, L, _ = q_shape
    return Case(
        name=f"linear_attention, {name}",
        call="linear_attention",
        args=args,
        dtype=dtype,
        grad=("Q", "K", "V"),
        upstream=(rng.standard_normal((*lead, L, d_v)),),
        outputs=("output",),
        note=note,
        no_tensor_spanning=(L, k_shape[-2]),
    )


def _linformer_case(rng, name, q_shape, k_shape, d_v, k, *, dtype="float64", note=""):
    args = _qkv(rng, q_shape, k_shape, d_v)
    S = k_shape[-2]
    args["E"] = rng.standard_normal((k, S)) / np.sqrt(S)
    args["F"] = rng.standard_normal((k, S)) / np.sqrt(S)
    *lead, L, _ = q_shape
    return Case(
        name=f"linformer_attention, {name}",
        call="linformer_attention",
        args=args,
        dtype=dtype,
        grad=("Q", "K", "V", "E", "F"),
        upstream=(rng.standard_normal((*lead, L, d_v)),),
        outputs=("output",),
        note=note,
    )


def cases(rng: np.random.Generator) -> list[Case]:
    blocks = "several blocks of keys: the running max changes, and what was summed must be rescaled by exp(m − m')"
    causal = "causal as is_causal=True, top-left: query i sees the keys j ≤ i, with j counted over the whole sequence"
    phi = "φ(x) = elu(x) + 1 on Q and K; the normaliser of query i is φ(Qᵢ)·Σⱼφ(Kⱼ) + eps"
    return [
        _flash_case(rng, "batch 2, L 5, S 11, blocks of 3", (2, 5, 4), (2, 11, 4), 6, block_size=3, note=blocks),
        _flash_case(rng, "heads (2, 3), L 7, S 13, blocks of 4", (2, 3, 7, 5), (2, 3, 13, 5), 6, block_size=4,
                    note=f"{blocks}; the last block holds a single key"),
        _flash_case(rng, "no batch dimensions, L 9 > S 6, blocks of 4", (9, 3), (6, 3), 2, block_size=4, note=blocks),
        _flash_case(rng, "leading dimensions broadcast, blocks of 7", (2, 1, 5, 4), (1, 3, 10, 4), 6, block_size=7,
                    note="Q (2, 1, ...) and K, V (1, 3, ...) broadcast to (2, 3, ...)"),
        _flash_case(rng, "blocks of 1 key", (2, 4, 3), (2, 6, 3), 5, block_size=1,
                    note="every key is its own block: the running max changes often"),
        _flash_case(rng, "block size divides S", (3, 5, 4), (3, 12, 4), 2, block_size=6, note=blocks),
        _flash_case(rng, "one block: S 9 ≤ the default block_size 64", (2, 5, 4), (2, 9, 4), 3, watched=False,
                    note="block_size left at its default, 64: one block holds every key"),
        _flash_case(rng, "causal, L = S = 8, blocks of 3", (2, 8, 4), (2, 8, 4), 5, block_size=3, causal=True,
                    watched=False, note=causal),
        _flash_case(rng, "causal, L 5 < S 11, blocks of 3", (2, 5, 4), (2, 11, 4), 6, block_size=3, causal=True,
                    note=f"{causal}; the keys past L are never seen"),
        _flash_case(rng, "causal, L 9 > S 6, blocks of 4", (2, 9, 3), (2, 6, 3), 5, block_size=4, causal=True,
                    note=f"{causal}; queries i ≥ S − 1 see every key"),
        _flash_case(rng, "scores near 1e3, blocks of 7", (2, 6, 16), (2, 20, 16), 3, block_size=7, magnitude=20.0,
                    note="scores of magnitude ~1e3: exp(s) overflows unless the running max is subtracted first"),
        _flash_case(rng, "float32, heads, blocks of 4", (2, 3, 6, 8), (2, 3, 10, 8), 5, block_size=4, dtype="float32"),
        _flash_case(rng, "float32, causal, blocks of 5", (2, 7, 4), (2, 12, 4), 3, block_size=5, causal=True,
                    dtype="float32", note=causal),
        _mask_case("n 1, window 0", 1, 0),
        _mask_case("n 6, window 1, no global tokens", 6, 1, note="global_tokens left at its default, ()"),
        _mask_case("n 9, window 2, global token 0", 9, 2, (0,),
                   note="a global token attends to every position and every position attends to it"),
        _mask_case("n 10, window 1, global tokens 0 and 9", 10, 1, (0, 9)),
        _mask_case("n 7, window 0, global token 3", 7, 0, (3,), note="window 0: each position sees itself"),
        _mask_case("n 5, window 7 ≥ n", 5, 7, (), note="a window wider than the sequence: every pair"),
        _mask_case("n 8, window 3, global tokens [2, 5] as a list", 8, 3, [2, 5]),
        _linear_case(rng, "no batch dimensions, L 6, S 9", (6, 4), (9, 4), 5, note=phi),
        _linear_case(rng, "batch 2, L 7, S 5", (2, 7, 3), (2, 5, 3), 4, note=phi),
        _linear_case(rng, "batch and heads (2, 3), L 5, S 8", (2, 3, 5, 4), (2, 3, 8, 4), 6, note=phi),
        _linear_case(rng, "Q and K far below 0", (2, 5, 4), (2, 7, 4), 3, shift=-12.0,
                     note="elu(x) + 1 ≈ eˣ ≈ 6e-6 here: the normaliser is ~1e-9, far below eps, which then decides"),
        _linear_case(rng, "eps = 0.1", (2, 6, 3), (2, 4, 3), 5, eps=0.1, note="use the eps argument"),
        _linear_case(rng, "float32, batch and heads", (2, 2, 6, 8), (2, 2, 9, 8), 4, dtype="float32", note=phi),
        _linformer_case(rng, "no batch dimensions, S 9 → k 3", (5, 4), (9, 4), 3, 3),
        _linformer_case(rng, "batch 2, S 10 → k 4", (2, 6, 8), (2, 10, 8), 5, 4),
        _linformer_case(rng, "batch and heads (2, 3), S 12 → k 5", (2, 3, 4, 6), (2, 3, 12, 6), 6, 5,
                        note="E and F are shared by every batch element and head"),
        _linformer_case(rng, "k = S = 6", (2, 5, 4), (2, 6, 4), 4, 6),
        _linformer_case(rng, "float32, S 16 → k 4", (2, 7, 8), (2, 16, 8), 4, 4, dtype="float32"),
    ]
