"""Cases for `regression_losses`: mse_loss(pred, target), l1_loss(pred, target) and
huber_loss(pred, target, delta=1.0).

Every loss is a 0-d tensor (mean reduction); gradients are compared for pred and target.
Differences are built exactly where the losses have kinks: d = 0 for L1, |d| = δ for Huber
(dyadic numbers, so pred − target is exactly what it looks like in float32 too).
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import Case


def _case(rng, call, name, pred, target, *, delta=None, dtype="float64", note=""):
    args = {"pred": pred, "target": target}
    if delta is not None:
        args["delta"] = delta
        name = f"{name}, delta={delta}"
    upstream = (np.asarray(rng.uniform(0.5, 2.0) * rng.choice([-1.0, 1.0])),)
    return Case(name=f"{call}: {name}", call=call, args=args, dtype=dtype, grad=("pred", "target"),
                upstream=upstream, outputs=("loss",), note=note)


def _pair(rng, shape, spread=1.0):
    return rng.standard_normal(shape) * spread, rng.standard_normal(shape) * spread


def _some_equal(rng, shape):
    """pred == target exactly at about half of the positions."""
    pred, target = _pair(rng, shape)
    same = rng.random(shape) < 0.5
    same.flat[0] = True
    pred[same] = target[same]
    return pred, target


def _at_delta(rng, delta, n=12):
    """|pred − target| exactly δ at some positions (both signs), below and above it at others."""
    target = rng.integers(-8, 9, n) / 4.0
    d = np.resize([delta, -delta, 0.5 * delta, -0.25 * delta, 2.0 * delta, -3.0 * delta], n)
    return target + d, target


def cases(rng: np.random.Generator) -> list[Case]:
    zero = ("pred == target exactly at some positions: |d| has no derivative there; PyTorch's sign(0) = 0 and "
            "the one-sided slopes ±1 are accepted, a NaN is not")
    kink = ("|pred − target| exactly δ at some positions: both branches give ½δ² and slope ±δ there, "
            "so both must be δ-scaled correctly (quadratic below δ, linear from δ on)")
    both = "errors on both sides of δ ≠ 1: ½d² below δ, δ(|d| − ½δ) above (smooth L1 and Huber differ here)"
    return [
        # mse_loss
        _case(rng, "mse_loss", "(8,)", *_pair(rng, 8)),
        _case(rng, "mse_loss", "(3, 4)", *_pair(rng, (3, 4), 2.0)),
        _case(rng, "mse_loss", "batch of one (1,)", *_pair(rng, 1)),
        _case(rng, "mse_loss", "(2, 3, 5)", *_pair(rng, (2, 3, 5))),
        _case(rng, "mse_loss", "float32 (4, 6)", *_pair(rng, (4, 6), 3.0), dtype="float32"),
        # l1_loss
        _case(rng, "l1_loss", "(8,)", *_pair(rng, 8)),
        _case(rng, "l1_loss", "(3, 4)", *_pair(rng, (3, 4), 2.0)),
        _case(rng, "l1_loss", "batch of one (1,)", *_pair(rng, 1)),
        _case(rng, "l1_loss", "exactly zero differences (4, 5)", *_some_equal(rng, (4, 5)), note=zero),
        _case(rng, "l1_loss", "float32 (2, 7)", *_pair(rng, (2, 7)), dtype="float32"),
        _case(rng, "l1_loss", "float32, exactly zero differences (6,)", *_some_equal(rng, 6), dtype="float32",
              note=zero),
        # huber_loss
        _case(rng, "huber_loss", "(10,), default delta", *_pair(rng, 10, 1.5)),
        _case(rng, "huber_loss", "(3, 5)", *_pair(rng, (3, 5), 2.0), delta=2.0, note=both),
        _case(rng, "huber_loss", "(4, 4)", *_pair(rng, (4, 4)), delta=0.5, note=both),
        _case(rng, "huber_loss", "batch of one (1,), a large error", np.array([3.0]), np.array([-0.5]), delta=1.5),
        _case(rng, "huber_loss", "|d| exactly δ (12,)", *_at_delta(rng, 1.0), note=kink),
        _case(rng, "huber_loss", "|d| exactly δ (12,)", *_at_delta(rng, 2.0), delta=2.0, note=kink),
        _case(rng, "huber_loss", "|d| exactly δ and d = 0 (6,)",
              np.array([0.25, 1.0, -0.5, 0.75, 2.0, -2.0]), np.array([0.25, 0.5, -0.5, 0.25, 0.0, -1.5]),
              delta=0.5, note=kink + "; and d = 0 exactly, where the gradient is 0"),
        _case(rng, "huber_loss", "float32 (2, 6)", *_pair(rng, (2, 6), 2.0), delta=1.5, dtype="float32", note=both),
        _case(rng, "huber_loss", "float32, |d| exactly δ (12,)", *_at_delta(rng, 0.5), delta=0.5, dtype="float32",
              note=kink),
    ]
