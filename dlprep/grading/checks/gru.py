"""Cases for `gru`: gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None) and gru_forward(...)."""

from __future__ import annotations

from functools import partial

import numpy as np

from dlprep.grading.checks import _recurrent
from dlprep.grading.spec import Case

_cell_case = partial(_recurrent.cell_case, kata="gru", gates=3)
_forward_case = partial(_recurrent.forward_case, kata="gru", gates=3)


CONVENTION = "h' = (1 − z) ⊙ n + z ⊙ h, with z the second block of rows and r ⊙ (W_hn h + b_hn) inside the candidate"
SATURATED = "pre-activations of magnitude ~100: torch.sigmoid and torch.tanh stay finite, values and gradients"


def cases(rng: np.random.Generator) -> list[Case]:
    return [
        _cell_case(rng, "cell: biases given", 3, 5, 4, note=CONVENTION),
        _cell_case(rng, "cell: no biases", 2, 3, 6, biases=False,
                   note="b_ih = b_hh = None: add no bias (the reset gate still scales W_hn h, after the product)"),
        _cell_case(rng, "cell: batch of one", 1, 4, 3),
        _cell_case(rng, "cell: H = 1", 3, 4, 1, note="one hidden unit: W_ih is (3, I), one row per block r, z, n"),
        _cell_case(rng, "cell: I = H", 4, 5, 5),
        _cell_case(rng, "cell: float32", 4, 6, 5, dtype="float32"),
        _cell_case(rng, "cell: saturated gates, float32", 3, 8, 4, dtype="float32", x_scale=40.0, weight_scale=1.0,
                   note=SATURATED, tags=("large",)),
        _cell_case(rng, "cell: saturated gates, float64", 3, 8, 4, x_scale=300.0, weight_scale=1.0,
                   note="pre-activations beyond ±710: a hand-written 1 / (1 + exp(-z)) overflows in backward",
                   tags=("large",)),
        _forward_case(rng, "sequence: T = 5, biases given", 5, 3, 4, 6,
                      note="the state carries from step to step; output[t] is hₜ after step t"),
        _forward_case(rng, "sequence: T = 1", 1, 2, 3, 2, note="one step: output[0] equals h_n"),
        _forward_case(rng, "sequence: batch of one, no biases", 4, 1, 5, 3, biases=False),
        _forward_case(rng, "sequence: float32", 6, 2, 5, 3, dtype="float32"),
        _forward_case(rng, "sequence: saturated gates, float32", 3, 2, 8, 3, dtype="float32", x_scale=40.0, weight_scale=1.0,
                      note=SATURATED, tags=("large",)),
        *probes(rng),
    ]


def probes(rng: np.random.Generator) -> list[Case]:
    """One part of the GRU at a time, the simplest first: the first to fail says where to look."""
    return [
        _cell_case(rng, "probe: one unit, zero state, no biases", 1, 2, 1, biases=False, zero=("h",),
                   probe="a zero state and no biases",
                   blame="look at one step from a zero state: the blocks r, z, n of W_ih, σ on r and z, tanh on n, "
                         "and h' = (1 − z) ⊙ n + z ⊙ h"),
        _cell_case(rng, "probe: nonzero state, no biases", 2, 3, 2, biases=False, probe="a nonzero state",
                   blame="look at how hₜ₋₁ enters: r ⊙ (W_hn h), the reset after the product, and z ⊙ h"),
        _cell_case(rng, "probe: b_ih alone", 2, 3, 2, zero=("b_hh",), probe="b_ih alone",
                   blame="look at how b_ih enters: b_in is outside the reset gate"),
        _cell_case(rng, "probe: b_hh alone", 2, 3, 2, zero=("b_ih",), probe="b_hh alone",
                   blame="look at how b_hh enters: b_hn is inside the reset gate, r ⊙ (W_hn h + b_hn)"),
        _forward_case(rng, "probe: sequence, T = 1", 1, 1, 2, 2, biases=False, probe="one step of gru_forward",
                      blame="look at what gru_forward returns: (output, h_n), output[t] the state after step t"),
        _forward_case(rng, "probe: sequence, T = 2", 2, 1, 2, 2, biases=False, probe="two steps",
                      blame="look at how hₜ carries from one step into the next"),
    ]
