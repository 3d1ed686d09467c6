"""Cases for `rnn`: rnn_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None), rnn_forward(...) and
birnn_forward(x, h0, params_fwd, params_bwd)."""

from __future__ import annotations

from functools import partial

import numpy as np

from dlprep.grading.checks import _recurrent
from dlprep.grading.spec import Case

_cell_case = partial(_recurrent.cell_case, kata="rnn", gates=1)
_forward_case = partial(_recurrent.forward_case, kata="rnn", gates=1)


def _bidirectional_case(rng, name, T, B, I, H, *, biases=True, dtype="float64", note=""):
    def params():
        p = _recurrent.params(rng, I, H, gates=1, biases=biases, weight_scale=0.6)
        return (p["W_ih"], p["W_hh"], p.get("b_ih"), p.get("b_hh"))

    args = {
        "x": rng.standard_normal((T, B, I)),
        "h0": rng.uniform(-1.0, 1.0, (2, B, H)),  # h0[0] forward, h0[1] backward: different on purpose
        "params_fwd": params(),
        "params_bwd": params(),
    }
    return Case(
        name=name,
        call="birnn_forward",
        args=args,
        dtype=dtype,
        # Gradients of absent (None) biases cannot be collected: without biases, compare x and h0 only.
        grad=tuple(args) if biases else ("x", "h0"),
        upstream=(rng.standard_normal((T, B, 2 * H)),),
        outputs=("output",),
        note=note,
    )


SATURATED = "pre-activations of magnitude ~100 and more: a hand-written (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ) gives inf / inf = NaN"


def cases(rng: np.random.Generator) -> list[Case]:
    return [
        _cell_case(rng, "cell: biases given", 3, 5, 4),
        _cell_case(rng, "cell: no biases", 2, 3, 6, biases=False, note="b_ih = b_hh = None: add no bias at all"),
        _cell_case(rng, "cell: batch of one", 1, 4, 3),
        _cell_case(rng, "cell: I = H", 4, 5, 5,
                   note="with I = H, W_ih and W_hh have the same shape: each must meet its own input"),
        _cell_case(rng, "cell: float32", 4, 6, 5, dtype="float32"),
        _cell_case(rng, "cell: saturated, float32", 3, 8, 4, dtype="float32", x_scale=40.0, weight_scale=1.0,
                   note=SATURATED),
        _cell_case(rng, "cell: saturated, float64", 3, 8, 4, x_scale=300.0, weight_scale=1.0,
                   note="pre-activations beyond ±710: a hand-written (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ) gives inf / inf = NaN"),
        _forward_case(rng, "sequence: T = 5, biases given", 5, 3, 4, 6,
                      note="the state carries from step to step; output[t] is hₜ after step t"),
        _forward_case(rng, "sequence: T = 1", 1, 2, 3, 2, note="one step: output[0] equals h_n"),
        _forward_case(rng, "sequence: batch of one, no biases", 4, 1, 5, 3, biases=False),
        _forward_case(rng, "sequence: I = H", 3, 2, 4, 4),
        _forward_case(rng, "sequence: float32", 6, 2, 5, 3, dtype="float32"),
        _forward_case(rng, "sequence: saturated, float32", 3, 2, 8, 3, dtype="float32", x_scale=40.0, weight_scale=1.0,
                      note=SATURATED),
        _bidirectional_case(rng, "bidirectional: T = 5", 5, 3, 4, 3,
                            note="output[t] = [h→ₜ; h←ₜ]: the backward direction runs from x_T to x₁, "
                                 "starts from h0[1], and its outputs are put back in time order"),
        _bidirectional_case(rng, "bidirectional: T = 1", 1, 2, 3, 2,
                            note="one step: each direction sees only x₁, from its own initial state"),
        _bidirectional_case(rng, "bidirectional: batch of one, I = H", 4, 1, 3, 3),
        _bidirectional_case(rng, "bidirectional: no biases", 3, 2, 5, 2, biases=False,
                            note="params = (W_ih, W_hh, None, None): add no bias"),
        _bidirectional_case(rng, "bidirectional: float32", 6, 2, 4, 5, dtype="float32"),
    ]
