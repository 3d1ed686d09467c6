"""Cases for `activations`: sigmoid, tanh, relu, leaky_relu, gelu and four derivatives.

Every call runs with NumPy's floating-point warnings recorded (`run`): the contract says
sigmoid and the others must not overflow or warn for z = ±1000, and a naive 1/(1 + e⁻ᶻ)
returns the right 0.0 at z = −1000 *after* an overflow warning. So each reference case has,
before `out`, one output per kind of warning, 1 if NumPy raised it during the call and 0 if not
(the reference raises none). A failure reads "`numpy RuntimeWarning 'overflow encountered'` is
1, expected 0"; known mistakes that warn are diagnosed by the same outputs.

Gradient checks (`compare="self"`) need no reference: `run` asks the submission for its
derivative and for its own activation at z ± h; `self_expected` turns those into central
differences in the grader's process.
"""

from __future__ import annotations

import warnings

import numpy as np

from dlprep.grading.checks._numeric import GRAD_CHECK_SCALE, central_difference
from dlprep.grading.spec import Case

WARNINGS = ("overflow", "divide by zero", "invalid value")
WARNING_OUTPUTS = tuple(f"numpy RuntimeWarning '{kind} encountered'" for kind in WARNINGS)
OUTPUTS = (*WARNING_OUTPUTS, "out")

GRAD_OF = {"sigmoid_grad": "sigmoid", "tanh_grad": "tanh", "relu_grad": "relu", "leaky_relu_grad": "leaky_relu"}
H = 1e-5
"""Step of the central differences (float64): error O(h²) + O(ε/h), about 1e-10 here."""

NO_WARNINGS = "NumPy must not warn: exp(1000) overflows to inf (and inf/inf is NaN) unless exp only ever sees −|z|"


def _warned(caught) -> tuple[float, ...]:
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return tuple(float(any(m.startswith(kind) for m in messages)) for kind in WARNINGS)


def run(impl, case: Case, args: dict):
    call = {name: value for name, value in args.items() if name != "h"}
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
        warnings.simplefilter("always")
        if case.compare != "self":
            out = getattr(impl, case.call)(**call)
            return (*_warned(caught), out)
        # Gradient check: the derivative, and the submission's own activation at z ± h.
        f = getattr(impl, GRAD_OF[case.call])
        z, h = args["z"], args["h"]
        rest = {name: value for name, value in call.items() if name != "z"}
        return getattr(impl, case.call)(**call), f(z + h, **rest), f(z - h, **rest)


def self_expected(case: Case, outputs: dict) -> dict:
    grad, plus, minus = case.outputs
    return {grad: central_difference(case.args["z"], case.args["h"], outputs[plus], outputs[minus])}


def _case(name, call, z, *, dtype="float64", alpha=None, scale=None, note=""):
    args = {"z": z} if alpha is None else {"z": z, "alpha": alpha}
    return Case(name=f"{call}: {name}", call=call, args=args, dtype=dtype, outputs=OUTPUTS, scale=scale, note=note)


def _grad_check(call, z, alpha=None):
    name = GRAD_OF[call]
    args = {"z": z, "h": H} if alpha is None else {"z": z, "alpha": alpha, "h": H}
    return Case(
        name=f"{call}: gradient check against your {name}",
        call=call,
        args=args,
        outputs=(f"{call}(z)", f"{name}(z + h)", f"{name}(z - h)"),
        compare="self",
        scale=GRAD_CHECK_SCALE,
        note=f"expected = ({name}(z + h) − {name}(z − h)) / 2h from YOUR OWN {name} (h = 1e-5): "
        f"your {call} is not the derivative of your {name}",
    )


def _with_zeros(rng, shape, spread=2.0):
    """Normal values with a few entries exactly 0 (the kink of ReLU)."""
    z = rng.standard_normal(shape) * spread
    flat = z.reshape(-1)
    flat[rng.choice(flat.size, size=max(1, flat.size // 4), replace=False)] = 0.0
    return z


def _away_from_zero(rng, shape):
    """Values with |z| in [0.2, 3]: the central difference of ReLU is exact there."""
    return rng.uniform(0.2, 3.0, shape) * rng.choice([-1.0, 1.0], shape)


LARGE64 = np.array([[-1000.0, -745.0, -710.0, -100.0, -30.0, -1.0, 0.0],
                    [1.0, 5.0, 30.0, 100.0, 710.0, 745.0, 1000.0]])
LARGE32 = np.array([-1000.0, -100.0, -89.0, -20.0, 0.0, 20.0, 89.0, 100.0, 1000.0])
GELU_RANGE = np.linspace(-6.0, 6.0, 25).reshape(5, 5)
"""Where exact (erf) GELU and other approximations differ from the tanh form by up to ~1e-3."""

EXP = ("sigmoid", "tanh", "gelu", "sigmoid_grad", "tanh_grad")
"""Functions whose hand-written forms exponentiate z."""

BOUNDED = ("sigmoid", "tanh", "sigmoid_grad", "tanh_grad")
"""Outputs in [-1, 1]: compared with absolute tolerances of scale 1 even when |z| is 1000."""


def cases(rng: np.random.Generator) -> list[Case]:
    out: list[Case] = []
    large = "z = ±1000: " + NO_WARNINGS + "; in float32 exp already overflows above z ≈ 88.7"
    for call in ("sigmoid", "tanh", "relu", "leaky_relu", "gelu", "sigmoid_grad", "tanh_grad", "relu_grad", "leaky_relu_grad"):
        scale = 1.0 if call in BOUNDED else None
        kink = "z = 0 exactly in some entries: " + (
            "ReLU'(0) = 0, as PyTorch (z > 0, not z >= 0)" if call == "relu_grad"
            else "the leaky slope alpha applies at z = 0 (z > 0 gets 1)" if call == "leaky_relu_grad" else "")
        out += [
            _case("(2, 6) with zeros", call, _with_zeros(rng, (2, 6)), note=kink),
            _case("(7,), a vector", call, rng.standard_normal(7) * 3.0),
            _case("(2, 3, 4)", call, rng.standard_normal((2, 3, 4)) * 2.0),
            _case("(1,), a single value", call, rng.standard_normal(1)),
            _case("float32 (3, 5) with zeros", call, _with_zeros(rng, (3, 5)), dtype="float32",
                  note="float32 inputs: float32 or float64 out, compared with float32 tolerances"),
            _case("large |z|", call, LARGE64, scale=scale, note=large if call in EXP else ""),
            _case("float32, large |z|", call, LARGE32, dtype="float32", scale=scale, note=large if call in EXP else ""),
        ]
        if call == "gelu":
            out += [
                _case("z in [-6, 6]", call, GELU_RANGE,
                      note="the contract's tanh approximation 0.5 z (1 + tanh(√(2/π)(z + 0.044715 z³))), "
                      "not z Φ(z) with erf nor z σ(1.702 z)"),
                _case("float32, z in [-6, 6]", call, GELU_RANGE, dtype="float32",
                      note="the tanh approximation, in float32 throughout"),
            ]
        if call in ("leaky_relu", "leaky_relu_grad"):
            out += [
                _case("alpha = 0.2", call, _with_zeros(rng, (3, 4)), alpha=0.2,
                      note="alpha = 0.2 here, not the default 0.01: use the argument"),
                _case("float32, alpha = 0.3", call, _with_zeros(rng, (4, 3)), dtype="float32", alpha=0.3,
                      note="alpha = 0.3 here, not the default 0.01"),
            ]
    out += [
        _grad_check("sigmoid_grad", rng.standard_normal((3, 4)) * 3.0),
        _grad_check("tanh_grad", rng.standard_normal((3, 4)) * 1.5),
        _grad_check("relu_grad", _away_from_zero(rng, (3, 4))),
        _grad_check("leaky_relu_grad", _away_from_zero(rng, (3, 4)), alpha=0.2),
    ]
    return out
