"""Cases for `multihead`: multi_head_attention(query, key, value, num_heads, in_proj_weight,
in_proj_bias, out_proj_weight, out_proj_bias, mask=None) -> (output, weights).

Masks are built so that neither the mask nor its inverse hides a whole row: a submission that
inverts the mask then gets finite (wrong) weights whether it fills with -inf or with -1e9, and the
diagnosis names the inversion either way.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

PARAMS = ("in_proj_weight", "in_proj_bias", "out_proj_weight", "out_proj_bias")


def run(impl, case: Case, args: dict):
    """Call the function; before gradients are taken, say plainly when a shape is wrong."""
    result = impl.multi_head_attention(**args)
    if case.grad and isinstance(result, (tuple, list)) and len(result) == 2:
        B, L, E = args["query"].shape
        S = args["key"].shape[1]
        for name, value, want in zip(("output", "weights"), result, ((B, L, E), (B, L, S))):
            shape = tuple(getattr(value, "shape", ()))
            if hasattr(value, "shape") and shape != want:
                hint = " (one map per head? average them over the heads)" if name == "weights" and len(shape) == 4 else ""
                raise ProtocolError(f"`{name}` has shape {shape}; expected {want}{hint}")
    return result


def _mha_case(rng, name, B, L, S, E, h, *, mask=None, dtype="float64", magnitude=1.0, self_attention=False, grad=True, note=""):
    query = rng.standard_normal((B, L, E)) * magnitude
    key = query.copy() if self_attention else rng.standard_normal((B, S, E)) * magnitude
    value = query.copy() if self_attention else rng.standard_normal((B, S, E))
    args = {
        "query": query,
        "key": key,
        "value": value,
        "num_heads": h,
        "in_proj_weight": rng.standard_normal((3 * E, E)) / np.sqrt(E),
        "in_proj_bias": rng.standard_normal(3 * E) * 0.1,
        "out_proj_weight": rng.standard_normal((E, E)) / np.sqrt(E),
        "out_proj_bias": rng.standard_normal(E) * 0.1,
    }
    if mask is not None:
        args["mask"] = mask
    return Case(
        name=f"{name}: B {B}, L {L}, S {S}, E {E}, {h} head{'s' if h > 1 else ''}",
        call="multi_head_attention",
        args=args,
        dtype=dtype,
        grad=("query", "key", "value", *PARAMS) if grad else (),
        upstream=(rng.standard_normal((B, L, E)), rng.standard_normal((B, L, S))) if grad else (),
        outputs=("output", "weights"),
        note=note,
    )


def _mixed_mask(rng, shape):
    """A random True/False mask with at least one True and one False in every row."""
    mask = rng.random(shape) < 0.5
    rows = mask.reshape(-1, shape[-1])
    for row in rows:
        keep, hide = rng.choice(shape[-1], size=2, replace=False)
        row[keep], row[hide] = True, False
    return rows.reshape(shape)


def cases(rng: np.random.Generator) -> list[Case]:
    window = np.abs(np.subtract.outer(np.arange(5), np.arange(5))) <= 1  # (L, S) local attention
    causal = np.tril(np.ones((4, 4), dtype=bool))
    padded = np.ones((2, 1, 4), dtype=bool)  # key padding: batch 0 pads 1 key, batch 1 pads 2
    padded[0, :, 3:] = False
    padded[1, :, 2:] = False
    decoder = causal & padded  # (B, L, S)
    ints = _mixed_mask(rng, (2, 3, 5)).astype(np.int64)
    return [
        _mha_case(rng, "self-attention", 2, 5, 5, 8, 2, self_attention=True,
                  note="query, key and value hold the same values, as in self-attention"),
        _mha_case(rng, "cross-attention, L != S", 2, 3, 6, 12, 3,
                  note="L queries attend to S keys: scores are (B, h, L, S)"),
        _mha_case(rng, "batch of one", 1, 4, 4, 8, 4),
        _mha_case(rng, "one head", 2, 3, 5, 6, 1,
                  note="h = 1: plain attention between projections, scaled by √E"),
        _mha_case(rng, "head dimension 1", 2, 3, 4, 4, 4,
                  note="h = E: every head has d = 1 feature, scaled by √1"),
        _mha_case(rng, "mask (L, S), local window", 2, 5, 5, 8, 2, mask=window,
                  note="mask (L, S) True = may attend, shared by every batch element and head"),
        _mha_case(rng, "mask (B, L, S), causal with key padding", 2, 4, 4, 6, 3, mask=decoder,
                  note="mask (B, L, S): one mask per batch element, the same for every head (unsqueeze a head dimension)"),
        _mha_case(rng, "mask (B, L, S) of 0/1 integers", 2, 3, 5, 4, 2, mask=ints,
                  note="an int64 0/1 mask: 0 means masked (`mask == 0`, not `~mask`, which is -1 or -2 on integers)"),
        _mha_case(rng, "scores near 1e3", 2, 4, 4, 8, 2, magnitude=25.0,
                  note="scores of magnitude ~1e3: a softmax without max-subtraction overflows"),
        _mha_case(rng, "forward only", 2, 4, 3, 6, 2, grad=False,
                  note="values and shapes only, no gradients"),
        _mha_case(rng, "float32", 2, 6, 4, 16, 4, dtype="float32"),
        _mha_case(rng, "float32, mask (L, S)", 1, 4, 7, 8, 2, mask=_mixed_mask(rng, (4, 7)), dtype="float32"),
    ]
