"""Cases for `layernorm`: layernorm_forward(x, gamma, beta, eps=1e-5) -> (out, cache) over the
last axis of x (..., D), and layernorm_backward(dout, cache) -> (dx, dgamma, dbeta).

The cache is the learner's own object: it never leaves the learner's process. `run` calls
forward (then backward) there and sends back arrays only. Three kinds of case:

- forward cases (`call="layernorm_forward"`): `out`, compared with the reference;
- backward cases (`call="layernorm_backward"`): forward, then backward with the case's `dout`;
  out, dx, dgamma and dbeta are compared with the reference;
- gradient checks (`compare="self"`): at a few entries of x, gamma and beta, the learner's
  gradient against the central difference of L = Σ dout ⊙ out computed with the learner's own
  forward (`self_expected`), so a backward that disagrees with its own forward is named by entry.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks import _normalization
from dlprep.grading.checks._numeric import GRAD_CHECK_SCALE, entry_outputs
from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

FORWARD = "layernorm_forward"
BACKWARD = "layernorm_backward"

H = 1e-5
"""Step of the central differences: their error, O(h²) + O(ε·|L|/h), stays near 1e-10."""


def _forward(impl, args, **moved):
    """One call of the learner's forward; `moved` replaces some arrays (gradient checks)."""
    arrays = [moved.get(name, args[name]) for name in ("x", "gamma", "beta")]
    options = {"eps": args["eps"]} if "eps" in args else {}
    result = impl.layernorm_forward(*arrays, **options)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ProtocolError(f"{FORWARD} must return (out, cache)")
    return result


def run(impl, case: Case, args: dict):
    if case.call == FORWARD:
        return _forward(impl, args)[0]
    result = _normalization.forward_then_backward(impl, "layernorm", lambda: _forward(impl, args), args["dout"])
    if case.compare != "self":
        return result
    return _normalization.gradient_check(args, result, lambda moved: _forward(impl, args, **moved)[0])


self_expected = _normalization.self_expected


def _rows(rng, shape):
    """Rows of different means and spreads."""
    *lead, D = shape
    return rng.standard_normal(shape) * rng.uniform(0.5, 2.0, (*lead, 1)) + rng.standard_normal((*lead, 1))


def _args(rng, shape, x, options):
    D = shape[-1]
    x = _rows(rng, shape) if x is None else x
    return {"x": x, "gamma": 1.0 + 0.5 * rng.standard_normal(D), "beta": 0.5 * rng.standard_normal(D), **options}


def _shown(shape):
    return "×".join(map(str, shape))


def _case(rng, name, shape, *, backward=True, dtype="float64", x=None, note="", scale=None, **options):
    """Unset `options` (eps) are left to the default."""
    args = _args(rng, shape, x, options)
    name = f"{name}, x {_shown(shape)}"
    if not backward:
        return Case(name, FORWARD, args, dtype=dtype, note=note, scale=scale)
    args["dout"] = rng.standard_normal(shape)
    return Case(name, BACKWARD, args, dtype=dtype, outputs=("out", "dx", "dgamma", "dbeta"), note=note, scale=scale)


def _grad_check(rng, name, shape, *, count=4):
    """A `compare="self"` case: `count` entries of x, one of gamma and one of beta."""
    args = _args(rng, shape, None, {})
    args["dout"] = rng.standard_normal(shape)
    picks = {tuple(int(rng.integers(n)) for n in shape) for _ in range(count)}
    j = int(rng.integers(shape[-1]))
    entries = (*(("x", index) for index in sorted(picks)), ("gamma", (j,)), ("beta", (j,)))
    names = [_normalization.entry_name(*entry) for entry in entries]
    return Case(
        name=f"{name}, x {_shown(shape)}",
        call=BACKWARD,
        args={**args, "entries": entries, "h": H},
        outputs=entry_outputs(names),
        compare="self",
        scale=GRAD_CHECK_SCALE,
        note=_normalization.GRAD_CHECK_NOTE,
    )


def cases(rng: np.random.Generator) -> list[Case]:
    leading = "dgamma and dbeta sum over every leading axis (batch and time), not only axis 0"
    padded = _rows(rng, (3, 4, 8))
    padded[0, 3] = 0.0  # a padding token: σ² = 0, only ε keeps 1/√(σ² + ε) finite
    padded[1, 0] = -1.25  # a constant row
    padded[2, 2] = 0.4 + 1e-3 * rng.standard_normal(8)  # σ² ≈ 1e-6, far below ε
    return [
        _case(rng, "forward, batch 4", (4, 6), backward=False),
        _case(rng, "forward, batch 2, sequence 3", (2, 3, 5), backward=False, note=leading),
        _case(rng, "batch 4", (4, 6)),
        _case(rng, "batch 2, sequence 3", (2, 3, 5), note=leading),
        _case(rng, "batch 2, heads 2, sequence 3", (2, 2, 3, 4), note=leading),
        _case(rng, "batch of one", (1, 7),
              note="one row is normalised over its features: statistics over the batch axis would be 0 here"),
        _case(rng, "batch of one, sequence of one", (1, 1, 4), note=leading),
        _case(rng, "no leading axes", (6,), note="x is a single row (D,): dgamma and dbeta are (D,) too"),
        _case(rng, "eps 1e-3", (5, 3), eps=1e-3),
        _case(rng, "D = 2", (4, 2), note="with two features x̂ = ±(x₁ − x₂)/√((x₁ − x₂)² + 4ε) ≈ ±1"),
        _case(rng, "a zero row, a constant row, a row of variance 1e-6", (3, 4, 8), x=padded,
              note="σ² = 0 (padding tokens) and σ² ≈ 1e-6, below ε: 1/√(σ² + ε), with ε inside the square "
              "root, keeps them finite"),
        _case(rng, "rows near 1e6 with spread 1", (4, 5), x=1e6 + _rows(rng, (4, 5)), scale=1.0,
              note="σ² as mean(x²) − mean(x)² cancels catastrophically here; use mean((x − μ)²)"),
        _case(rng, "float32, batch 2, sequence 4", (2, 4, 8), dtype="float32", note=leading),
        _case(rng, "float32, batch 5", (5, 16), dtype="float32"),
        _case(rng, "float32, batch of one", (1, 6), dtype="float32"),
        _grad_check(rng, "gradient check, batch 3", (3, 5)),
        _grad_check(rng, "gradient check, batch 2, sequence 3", (2, 3, 4)),
    ]
