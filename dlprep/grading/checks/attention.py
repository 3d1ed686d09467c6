"""Cases for `attention`: self_attention(Q, K, V, mask=None) and causal_mask(n, device=None)."""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import DEVICE, Case


def _attention_case(rng, name, q_shape, k_shape, d_v, *, mask=None, dtype="float64", magnitude=1.0, note="", tags=(),
                    grad=("Q", "K", "V"), probe="", blame=""):
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
    upstream = (rng.standard_normal((*lead, L, d_v)), rng.standard_normal((*lead, L, S))) if grad else ()
    return Case(
        name=name,
        call="self_attention",
        args=args,
        dtype=dtype,
        grad=grad,
        upstream=upstream,
        outputs=("output", "weights"),
        note=note,
        tags=tags,
        probe=probe,
        blame=blame,
    )


def _probes(rng) -> list[Case]:
    """From one query with dₖ = 1 (no scale to get wrong) to broadcast heads and a 0/1 mask; forward
    only, then the same with gradients, so that each says which step first goes wrong."""
    padding = np.ones((2, 1, 1, 4), dtype=np.int64)  # (B, 1, 1, S)
    padding[0, ..., 3:] = 0
    padding[1, ..., 1:] = 0
    forward = {"grad": ()}
    return [
        _attention_case(rng, "probe: one query, dₖ = 1, no batch", (1, 1), (3, 1), 2, **forward, probe="one query and dₖ = 1",
                        blame="look at QKᵀ, its softmax over the keys (the last dimension) and weights @ V; with "
                        "dₖ = 1 the scale plays no part yet"),
        _attention_case(rng, "probe: dₖ = 4, no batch", (2, 4), (3, 4), 2, **forward, probe="dₖ = 4",
                        blame="look at the scale: QKᵀ / √dₖ, with dₖ = Q.size(-1)"),
        _attention_case(rng, "probe: a batch of two", (2, 2, 4), (2, 3, 4), 2, **forward, probe="a batch dimension",
                        blame="look at the leading dimensions: transpose only K's last two (K.transpose(-2, -1))"),
        _attention_case(rng, "probe: heads broadcast", (2, 1, 2, 4), (1, 2, 3, 4), 2, **forward,
                        probe="batch and heads broadcast",
                        blame="look at several leading dimensions broadcast between Q and K: @ broadcasts them, "
                        "fixed dimensions (transpose(1, 2), bmm) do not"),
        _attention_case(rng, "probe: causal mask", (3, 4), (3, 4), 2, mask=np.tril(np.ones((3, 3), dtype=bool)), **forward,
                        probe="a causal mask",
                        blame="look at the mask: masked_fill(mask == 0, -inf) on the scores before the softmax, "
                        "True/1 meaning may attend"),
        _attention_case(rng, "probe: 0/1 padding mask", (2, 2, 2, 4), (2, 2, 4, 4), 2, mask=padding, **forward,
                        probe="a 0/1 padding mask (B, 1, 1, S)",
                        blame="look at how an integer 0/1 mask is read and broadcast over heads and queries: "
                        "compare it with 0 (mask == 0)"),
        _attention_case(rng, "probe: float32", (2, 4), (3, 4), 2, dtype="float32", **forward, probe="float32",
                        blame="look at dtypes: keep the inputs' float32 (no float64 constants or .double())"),
        _attention_case(rng, "probe: gradients", (2, 4), (3, 4), 2, probe="gradients",
                        blame="look at the autograd path: gradients must reach Q, K and V (no .detach(), .data, "
                        ".item() or NumPy)"),
    ]


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
        _attention_case(rng, "logits near 1e3", (2, 4, 16), (2, 4, 16), 3, magnitude=20.0, tags=("large",),
                        note="a softmax without max-subtraction overflows here"),
        _attention_case(rng, "float32, heads", (2, 4, 5, 8), (2, 4, 6, 8), 8, dtype="float32"),
        _attention_case(rng, "float32, causal", (1, 6, 8), (1, 6, 8), 8, mask=causal, dtype="float32"),
        Case("causal_mask(1)", "causal_mask", {"n": 1, "device": DEVICE}, outputs=("mask",)),
        Case("causal_mask(6)", "causal_mask", {"n": 6, "device": DEVICE}, outputs=("mask",)),
        _attention_case(rng, "float32, logits near 1e3", (2, 3, 16), (2, 5, 16), 4, magnitude=12.0, dtype="float32",
                        tags=("large",), note="in float32 exp overflows above 88.7: subtract the row max first"),
        *_probes(rng),
    ]
