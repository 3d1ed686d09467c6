"""Cases for `lstm`: lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None) and lstm_forward(...)."""

from __future__ import annotations

from functools import partial

import numpy as np

from dlprep.grading.execute import ProtocolError
from dlprep.grading.checks import _recurrent
from dlprep.grading.spec import Case

_cell_case = partial(_recurrent.cell_case, kata="lstm", gates=4, cell_state=True)
_forward_case = partial(_recurrent.forward_case, kata="lstm", gates=4, cell_state=True)


def run(impl, case: Case, args: dict) -> tuple:
    """Call the function; unpack lstm_forward's (output, (h_n, c_n)) so each part is named."""
    result = getattr(impl, case.call)(**args)
    if case.call != "lstm_forward":
        return result
    if not (isinstance(result, (tuple, list)) and len(result) == 2 and isinstance(result[1], (tuple, list)) and len(result[1]) == 2):
        raise ProtocolError(f"lstm_forward returned {_structure(result)}; expected (output, (h_n, c_n)), as nn.LSTM returns")
    output, (h_n, c_n) = result
    return output, h_n, c_n


def _structure(value) -> str:
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_structure(v) for v in value) + ")"
    shape = getattr(value, "shape", None)
    return f"a tensor of shape {tuple(shape)}" if shape is not None else type(value).__name__


def cases(rng: np.random.Generator) -> list[Case]:
    return [
        _cell_case(rng, "cell: biases given", 3, 5, 4),
        _cell_case(rng, "cell: no biases", 2, 3, 6, biases=False, note="b_ih = b_hh = None: add no bias at all"),
        _cell_case(rng, "cell: batch of one", 1, 4, 3),
        _cell_case(rng, "cell: I = H", 4, 5, 5,
                   note="with I = H, W_ih and W_hh have the same shape: each must meet its own input"),
        _cell_case(rng, "cell: float32", 4, 6, 5, dtype="float32"),
        _cell_case(rng, "cell: saturated gates, float32", 3, 8, 4, dtype="float32", x_scale=40.0, weight_scale=1.0,
                   note="pre-activations of magnitude ~100: a hand-written 1 / (1 + exp(-z)) overflows in backward",
                   tags=("large",)),
        _cell_case(rng, "cell: saturated gates, float64", 3, 8, 4, x_scale=300.0, weight_scale=1.0,
                   note="pre-activations beyond ±710: a hand-written 1 / (1 + exp(-z)) overflows in backward",
                   tags=("large",)),
        _forward_case(rng, "sequence: T = 5, biases given", 5, 3, 4, 6,
                      note="states carry from step to step; output[t] is hₜ after step t"),
        _forward_case(rng, "sequence: T = 1", 1, 2, 3, 2, note="one step: output[0] equals h_n"),
        _forward_case(rng, "sequence: batch of one, no biases", 4, 1, 5, 3, biases=False),
        _forward_case(rng, "sequence: I = H", 3, 2, 4, 4),
        _forward_case(rng, "sequence: float32", 6, 2, 5, 3, dtype="float32"),
        _forward_case(rng, "sequence: saturated gates, float32", 3, 2, 8, 3, dtype="float32", x_scale=40.0, weight_scale=1.0,
                      note="pre-activations of magnitude ~100: a hand-written 1 / (1 + exp(-z)) overflows in backward",
                      tags=("large",)),
        *probes(rng),
    ]


def probes(rng: np.random.Generator) -> list[Case]:
    """One part of the LSTM at a time, the simplest first: the first to fail says where to look."""
    return [
        _cell_case(rng, "probe: one unit, zero states, no biases", 1, 2, 1, biases=False, zero=("h", "c"),
                   probe="zero states and no biases",
                   blame="look at one step from zero states: the blocks i, f, g, o of W_ih, σ on the gates, tanh on "
                         "C̃ₜ and on Cₜ, and the order of the result, (h_next, c_next)"),
        _cell_case(rng, "probe: nonzero states, no biases", 2, 3, 2, biases=False, probe="nonzero states",
                   blame="look at how hₜ₋₁ and Cₜ₋₁ enter: W_hh hₜ₋₁, fₜ ⊙ Cₜ₋₁ + iₜ ⊙ C̃ₜ, hₜ = oₜ ⊙ tanh(Cₜ)"),
        _cell_case(rng, "probe: b_ih alone", 2, 3, 2, zero=("b_hh",), probe="b_ih alone",
                   blame="look at how b_ih enters: added to the pre-activations of all four gates"),
        _cell_case(rng, "probe: b_hh alone", 2, 3, 2, zero=("b_ih",), probe="b_hh alone",
                   blame="look at how b_hh enters: W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh"),
        _forward_case(rng, "probe: sequence, T = 1", 1, 1, 2, 2, biases=False, probe="one step of lstm_forward",
                      blame="look at what lstm_forward returns: (output, (h_n, c_n)), output[t] the hidden state after step t"),
        _forward_case(rng, "probe: sequence, T = 2", 2, 1, 2, 2, biases=False, probe="two steps",
                      blame="look at how hₜ and Cₜ carry from one step into the next"),
    ]
