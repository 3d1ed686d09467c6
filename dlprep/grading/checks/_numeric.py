"""Gradient checks shared by the NumPy katas: a submission's gradient against central differences
of its own function (`Case.compare == "self"`), so that a backward which disagrees with its own
forward is caught whatever convention both follow."""

from __future__ import annotations

import numpy as np

GRAD_CHECK_SCALE = 100.0
"""Gradient checks compare within 1e-7 absolute (1e-9 per unit of scale) plus 1e-7 relative."""


def central_difference(value, h, plus, minus):
    """(L(θ + h) − L(θ − h)) / 2h, from the losses with θ = `value` moved up and down."""
    step = (value + h) - (value - h)  # 2h as float64 represents it at `value`: not exactly 2h
    return (np.asarray(plus, dtype=np.float64) - np.asarray(minus, dtype=np.float64)) / step


def entry_outputs(names):
    """A gradient check's outputs at the named entries: every gradient, then every L(θ + h), then every L(θ − h)."""
    return (*(f"dL/d{n}" for n in names), *(f"L({n} + h)" for n in names), *(f"L({n} - h)" for n in names))


def expected_at_entries(case, outputs: dict, values) -> dict:
    """For outputs laid out as `entry_outputs` lays them: the central difference at each entry,
    `values` holding the entries' values in `case.args`, by name of the gradient output."""
    n, h = len(values), case.args["h"]
    return {
        case.outputs[i]: central_difference(value, h, outputs[case.outputs[n + i]], outputs[case.outputs[2 * n + i]])
        for i, value in enumerate(values)
    }
