"""Cases for `attention`: self_attention(Q, K, V, mask=None) and causal_mask(n, device=None)."""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import DEVICE, Case


def _attention_case(rng, name, q_shape, k_shape, d_v, *, mask=None, dtype="float64", magnitude=1.0, note=""):
    *lead_q, L, d_k = q_shape
    *lead_k, S, _ = k_shape
    lead = np.broadcast_shapes(tuple(lead_q), tuple(lead_k))
    args = {
        "Q": rng.standard_normal(q_shape) * magnitude,
        "K": rng.standard_normal(k_shape) * magnitude,
        "V": rng.standard_normal((*lead_k, S, d_v)),
    }
    if mask is not None:
        args["mask"] = mask
    upstream = (rng.standard_normal((*lead, L, d_v)), rng.standard_normal((*lead, L, S)))
    return Case(
        name=name,
        call="self_attention",
        args=args,
        dtype=dtype,
        grad=("Q", "K", "V"),
        upstream=upstream,
        outputs=("output", "weights"),
        note=note,
    )


def cases(rng: np.random.Generator) -> list[Case]:
    causal = np.tril(np.ones((6, 6), dtype=bool))
    padding = np.ones((2, 1, 1, 7), dtype=np.int64)  # (B, 1, 1, S), 0/1 as the guide's `mask == 0`
    padding[0, ..., 5:] = 0
    padding[1, ..., 3:] = 0
    return [
        _attention_case(rng, "batch 2, L = S = 5", (2, 5, 8), (2, 5, 8), 8),
        _attention_case(rng, "heads (2, 3), L != S, d_k != d_v", (2, 3, 4, 5), (2, 3, 6, 5), 7),
        _attention_case(rng, "batch of one", (1, 3, 4), (1, 3, 4), 2),
        _attention_case(rng, "no batch dimensions", (4, 6), (5, 6), 3),
        _attention_case(rng, "leading dimensions broadcast", (2, 1, 3, 4), (1, 3, 5, 4), 4),
        _attention_case(rng, "causal mask", (2, 6, 4), (2, 6, 4), 4, mask=causal,
                        note="masked scores get -inf (or a huge negative) before the softmax"),
        _attention_case(rng, "padding mask (B, 1, 1, S) of 0/1", (2, 2, 3, 4), (2, 2, 7, 4), 5, mask=padding,
                        note="0 means masked; the mask broadcasts over heads and queries"),
        _attention_case(rng, "logits near 1e3", (2, 4, 16), (2, 4, 16), 3, magnitude=12.0,
                        note="a softmax without max-subtraction overflows here"),
        _attention_case(rng, "float32, heads", (2, 4, 5, 8), (2, 4, 6, 8), 8, dtype="float32"),
        _attention_case(rng, "float32, causal", (1, 6, 8), (1, 6, 8), 8, mask=causal, dtype="float32"),
        Case("causal_mask(1)", "causal_mask", {"n": 1, "device": DEVICE}, outputs=("mask",)),
        Case("causal_mask(6)", "causal_mask", {"n": 6, "device": DEVICE}, outputs=("mask",)),
    ]
