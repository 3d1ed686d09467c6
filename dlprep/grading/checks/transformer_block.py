"""Cases for `transformer_block`: EncoderBlock(d_model, num_heads, d_ff) and DecoderBlock(...), nn.Modules.

As in `resnet_block`, `run` builds the learner's block in the learner's process:

- structure cases count the parameters of each submodule the stub names (norm1, self_attn,
  norm2, [cross_attn, norm3,] linear1, linear2) and of the whole block, loading nothing;
- value cases move the block to the case's device and dtype, load a state dict built here with
  NumPy (the stub's names and nn.Linear/nn.LayerNorm shapes) with `strict=True`, run the
  forward on `x` (and `memory`) with the case's masks, then a backward with the upstream
  gradient `dout`, and return the output and the gradients of x, memory and every parameter.

Masks (True/1 = may attend) are built so that neither a mask nor its inverse hides a whole
row: a block that inverts the mask then gets finite (wrong) outputs whether it fills with -inf
or with -1e9, and the diagnosis names the inversion either way. The decoder's causal masks are
therefore causal *windows* (position i sees i − w + 1 … i).
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks._modules import backward_and_collect, build_and_run, load_strictly
from dlprep.grading.spec import Case

SUBMODULES = {
    "EncoderBlock": ("norm1", "self_attn", "norm2", "linear1", "linear2"),
    "DecoderBlock": ("norm1", "self_attn", "norm2", "cross_attn", "norm3", "linear1", "linear2"),
}
HYPER = ("d_model", "num_heads", "d_ff")
NAMING = (
    "keep the submodules the stub creates in __init__ (norm1, self_attn, norm2, [cross_attn, norm3,] "
    "linear1, linear2; each attention with q_proj, k_proj, v_proj, out_proj), and write only the forward methods"
)
MASKS = ("mask", "tgt_mask", "memory_mask")


def run(impl, case: Case, args: dict):
    hyper = {name: args[name] for name in HYPER}
    shown = f"{case.call}({', '.join(f'{k}={v}' for k, v in hyper.items())})"
    return build_and_run(impl, case, args, hyper, shown, lambda block: _values(block, case, args, shown))


def _values(block, case: Case, args: dict, shown: str) -> tuple:
    x, dout = args["x"], args["dout"]
    block = block.to(device=x.device, dtype=x.dtype)
    load_strictly(block, args["state"], x, shown, NAMING)
    inputs = {"x": x.requires_grad_()}
    if case.call == "DecoderBlock":
        inputs["memory"] = args["memory"].requires_grad_()
    masks = {name: args[name] for name in MASKS if name in args}
    out = block(*inputs.values(), **masks)
    return backward_and_collect(block, out, inputs, dout, case)


# ---------------------------------------------------------------------------------------------
# cases: NumPy only


def _linear(rng, prefix, n_in, n_out):
    bound = 1 / np.sqrt(n_in)  # nn.Linear's init range, so activations stay of order 1
    return {f"{prefix}.weight": rng.uniform(-bound, bound, (n_out, n_in)) * 1.5,
            f"{prefix}.bias": rng.uniform(-bound, bound, n_out)}


def _norm(rng, prefix, d):
    return {f"{prefix}.weight": rng.uniform(0.5, 1.5, d), f"{prefix}.bias": rng.standard_normal(d) * 0.2}


def _attention(rng, prefix, d):
    state = {}
    for name in ("q_proj", "k_proj", "v_proj", "out_proj"):
        state |= _linear(rng, f"{prefix}.{name}", d, d)
    return state


def _state(rng, call, d, d_ff):
    state = _norm(rng, "norm1", d) | _attention(rng, "self_attn", d) | _norm(rng, "norm2", d)
    if call == "DecoderBlock":
        state |= _attention(rng, "cross_attn", d) | _norm(rng, "norm3", d)
    return state | _linear(rng, "linear1", d, d_ff) | _linear(rng, "linear2", d_ff, d)


def _mixed_mask(rng, shape, dtype=bool):
    """Random True/False with at least one True and one False in every row."""
    mask = rng.random(shape) < 0.5
    rows = mask.reshape(-1, shape[-1])
    for row in rows:
        keep, hide = rng.choice(shape[-1], size=2, replace=False)
        row[keep], row[hide] = True, False
    return rows.reshape(shape).astype(dtype)


def _causal_window(L, w):
    """(L, L): position i may attend to i − w + 1 … i (a causal mask with a window w < L)."""
    i, j = np.arange(L)[:, None], np.arange(L)[None, :]
    return (j <= i) & (j > i - w)


def _key_padding(B, S, lengths):
    """(B, 1, S): batch element b may attend to its first lengths[b] keys."""
    return (np.arange(S)[None, None, :] < np.asarray(lengths)[:, None, None])


def _value_case(rng, call, B, L, d, h, d_ff, *, S=None, dtype="float64", note="", magnitude=1.0, **masks):
    args = {"d_model": d, "num_heads": h, "d_ff": d_ff, "x": rng.standard_normal((B, L, d)) * magnitude}
    if call == "DecoderBlock":
        args["memory"] = rng.standard_normal((B, S, d))
    args |= {name: mask for name, mask in masks.items() if mask is not None}
    state = _state(rng, call, d, d_ff)
    args |= {"state": state, "dout": rng.standard_normal((B, L, d))}
    inputs = ["x", "memory"] if call == "DecoderBlock" else ["x"]
    shown = [f"{name} {mask.shape}" + ("" if mask.dtype == bool else " 0/1") for name, mask in masks.items() if mask is not None]
    sizes = f"B {B}, L {L}" + (f", S {S}" if S is not None else "")
    return Case(
        name=f"{call}({d}, {h}, {d_ff}), {sizes}, " + (", ".join(shown) if shown else "no mask")
             + (", float32" if dtype == "float32" else ""),
        call=call,
        args=args,
        dtype=dtype,
        outputs=("out", *(f"gradient of {name}" for name in inputs), *(f"gradient of {key}" for key in state)),
        note=note,
    )


def _structure_case(call, d, h, d_ff):
    attn = "4·d² + 4·d per attention (q, k, v, out projections with biases)"
    return Case(
        name=f"parameters of {call}(d_model={d}, num_heads={h}, d_ff={d_ff})",
        call=call,
        args={"d_model": d, "num_heads": h, "d_ff": d_ff},
        outputs=(*(f"parameters in {name}" for name in SUBMODULES[call]), "parameters in the block"),
        note=f"{attn}, 2·d per LayerNorm, d·d_ff + d_ff + d_ff·d + d for the FFN",
    )


def cases(rng: np.random.Generator) -> list[Case]:
    enc, dec = "EncoderBlock", "DecoderBlock"
    return [
        _value_case(rng, enc, 2, 5, 8, 2, 16, note="no mask: every position attends to every position"),
        _value_case(rng, enc, 2, 5, 8, 2, 16, mask=_mixed_mask(rng, (5, 5)),
                    note="mask (L, L), True = may attend, shared by the batch and the heads"),
        _value_case(rng, enc, 2, 6, 12, 2, 20, mask=_key_padding(2, 6, [4, 5]),
                    note="key padding mask (B, 1, L): a 3-D mask gets a head dimension, (B, 1, 1, L)"),
        _value_case(rng, enc, 1, 4, 16, 4, 24, mask=_mixed_mask(rng, (1, 4, 4), np.int64),
                    note="a batch of one, 4 heads of d = 4; a 0/1 int64 mask: 0 means masked (`mask == 0`)"),
        _value_case(rng, enc, 2, 3, 8, 2, 8, magnitude=20.0,
                    note="x of magnitude 20: the residual stream x is added as it is, never normalised"),
        _value_case(rng, enc, 2, 5, 8, 2, 16, dtype="float32", mask=_mixed_mask(rng, (2, 5, 5))),
        _value_case(rng, dec, 2, 4, 8, 2, 16, S=6, tgt_mask=_causal_window(4, 2),
                    note="causal tgt_mask (L, L) (with a window of 2); no memory_mask; S != L"),
        _value_case(rng, dec, 2, 5, 8, 2, 16, S=3, tgt_mask=_causal_window(5, 3), memory_mask=_key_padding(2, 3, [2, 1]),
                    note="memory_mask (B, 1, S): padding of the encoder's output; keys and values come from memory"),
        _value_case(rng, dec, 2, 4, 12, 2, 16, S=4, tgt_mask=_mixed_mask(rng, (2, 4, 4), np.int64),
                    memory_mask=_mixed_mask(rng, (4, 4)),
                    note="tgt_mask (B, L, L) of 0/1 and memory_mask (L, S), with S = L"),
        _value_case(rng, dec, 1, 3, 8, 2, 12, S=5,
                    note="no masks: tgt_mask=None means no masking (the block builds no causal mask itself, "
                         "as nn.TransformerDecoderLayer); a batch of one"),
        _value_case(rng, dec, 2, 5, 16, 2, 32, S=4, dtype="float32", tgt_mask=_causal_window(5, 4),
                    memory_mask=_mixed_mask(rng, (2, 5, 4))),
        _structure_case(enc, 8, 2, 16),
        _structure_case(enc, 16, 4, 64),
        _structure_case(dec, 8, 2, 16),
        _structure_case(dec, 12, 3, 48),
    ]
