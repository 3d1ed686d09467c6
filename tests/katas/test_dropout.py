"""`dropout`: the reference behaves as F.dropout (keep rate, scaling, eval identity, gradient); the
statistical checks are calibrated and tell every known mistake apart whichever random numbers a
submission draws."""

from __future__ import annotations

import math
import zlib
from types import SimpleNamespace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders, verdict
from dlprep.grading.checks import _statistics as bounds
from dlprep.grading.checks import dropout as checks
from dlprep.grading.execute import ProtocolError, execute
from dlprep.katas.catalog import load
from tests.katas.strategies import reference, seeds, small
from tests.katas.helpers import grade_in_process

KATA = load().get("dropout")
dropout = reference("dropout")
probabilities = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9])


def _nonzero(gen, shape):
    return gen.choice([-1.0, 1.0], size=shape) * gen.uniform(0.5, 2.0, size=shape)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(small, min_size=1, max_size=3), p=probabilities, seed=seeds)
def test_reference_scales_and_differentiates_as_f_dropout(shape, p, seed):
    gen = np.random.default_rng(seed)
    x, dout = _nonzero(gen, shape), _nonzero(gen, shape)
    out, mask = dropout.dropout_forward(x, p, True, gen)
    assert out.shape == mask.shape == x.shape and out.dtype == mask.dtype == np.float64
    np.testing.assert_array_equal(out, x * mask)

    torch.manual_seed(seed)
    x_t = torch.from_numpy(x).requires_grad_()
    out_t = F.dropout(x_t, p, training=True)
    out_t.backward(torch.from_numpy(dout))
    torch_mask = (out_t / x_t).detach().numpy()  # PyTorch's own mask: 0 or 1/(1 - p)
    # the same values for kept units ...
    assert set(np.unique(mask)) <= {0.0, 1.0 / (1.0 - p)}
    np.testing.assert_allclose(torch_mask[torch_mask != 0], 1.0 / (1.0 - p), rtol=1e-15)
    # ... and the same gradient, given the same mask
    np.testing.assert_allclose(dropout.dropout_backward(dout, torch_mask), x_t.grad.numpy(), rtol=1e-15)


@settings(max_examples=20, deadline=None)
@given(shape=st.lists(small, min_size=1, max_size=3), p=probabilities, seed=seeds)
def test_reference_is_the_identity_in_eval_as_f_dropout(shape, p, seed):
    gen = np.random.default_rng(seed)
    x = gen.standard_normal(shape)
    for training in (False, True):
        if training and p != 0.0:
            continue
        out, mask = dropout.dropout_forward(x, p, training, gen)
        np.testing.assert_array_equal(out, F.dropout(torch.from_numpy(x), p, training=training).numpy())
        np.testing.assert_array_equal(out, x)
        np.testing.assert_array_equal(mask, np.ones_like(x))


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_keep_rate_agrees_with_f_dropout(p):
    n = 300_000
    width = bounds.bernstein_halfwidth(n, 1.0 - p)
    torch.manual_seed(0)
    theirs = float((F.dropout(torch.ones(n, dtype=torch.float64), p, training=True) != 0).double().mean())
    _, mask = dropout.dropout_forward(np.ones(n), p, True, np.random.default_rng(0))
    mine = float(np.mean(mask != 0))
    assert abs(theirs - (1.0 - p)) <= width and abs(mine - (1.0 - p)) <= width


def test_float32_stays_float32():
    x = np.random.default_rng(1).standard_normal((4, 5)).astype(np.float32)
    out, mask = dropout.dropout_forward(x, 0.3, True, np.random.default_rng(2))
    assert out.dtype == mask.dtype == np.float32
    assert dropout.dropout_backward(x, mask).dtype == np.float32


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("p", [1.0, -0.1, 1.5, math.nan])
def test_invalid_p_raises_value_error(p, training):
    with pytest.raises(ValueError):
        dropout.dropout_forward(np.ones(3), p, training, np.random.default_rng(0))


def test_where_pytorch_differs_p_equal_to_one():
    # F.dropout accepts p = 1 and returns zeros; the kata raises (1/(1 - p) is undefined), as the statement says
    assert (F.dropout(torch.ones(3), 1.0, training=True) == 0).all()
    for p in (-0.1, 1.5):
        with pytest.raises(ValueError):
            F.dropout(torch.ones(3), p, training=True)


# -- the bounds are conservative, measured where failures are observable; the judge passes the reference --


@pytest.mark.parametrize("n, q", [(7, 0.7), (300, 0.58), (150_000, 0.5), (300_000, 0.9)])
def test_bernstein_bound_fails_no_more_often_than_stated(n, q):
    x = math.log(20.0)  # 2e^(−x) = 10 %
    width = bounds.bernstein_halfwidth(n, q, x)
    fractions = np.random.default_rng(n).binomial(n, q, size=40_000) / n
    assert np.mean(np.abs(fractions - q) > width) <= 0.10


def _judge_failures(impl, rng):
    failures = []
    for case in checks.cases(rng):
        if case.compare == "judge":
            record = execute(impl, checks, case, "numpy", "cpu")
            outputs = {name: r.get("data") for name, r in record["outputs"].items()}
            failures += [(case.name, d.message) for d in checks.judge(case, outputs) if not d.passed]
    return failures


def test_judge_never_fails_the_reference_over_many_seeds():
    """False failures are below 1e-7 per grade by the bounds; here: none in 15 fresh grades' judge cases."""
    failures = []
    for draw in range(15):
        failures += _judge_failures(dropout, np.random.default_rng(2000 + draw))
    assert failures == []


# -- submissions written differently from the reference and the mistakes -----------------------------------


def _learner(
    *,
    drop=lambda p: p,
    scale=lambda p: 1.0 / (1.0 - p),
    binary=False,
    in_eval="identity",
    per_feature=False,
    validate=True,
    source="binomial",
    backward=lambda dout, mask: dout * mask,
):
    """Dropout as a learner might write it, drawing other random numbers than the reference."""

    def dropout_forward(x, p, training, rng):
        if validate and not (0 <= p < 1):
            raise ValueError("p")
        if not training and in_eval == "identity" or training and p == 0:
            return x, np.ones(x.shape, dtype=x.dtype)
        if not training and in_eval == "scale":
            return x * (1 - p), np.full(x.shape, 1 - p, dtype=x.dtype)
        shape = x.shape[-1:] if per_feature else x.shape
        if source == "binomial":
            keep = rng.binomial(1, 1.0 - drop(p), size=shape).astype(bool)
        elif source == "uniform":
            keep = rng.random(shape) > drop(p)
        else:  # a fresh, unseeded generator
            keep = np.random.default_rng().random(shape) > drop(p)
        keep = np.broadcast_to(keep, x.shape)
        out = x * keep * scale(p)  # Python floats: float32 stays float32
        mask = keep.astype(x.dtype) if binary else (keep * scale(p)).astype(x.dtype)
        return out.astype(x.dtype), mask

    return SimpleNamespace(dropout_forward=dropout_forward, dropout_backward=backward)


CORRECT = _learner()

LEARNERS = {
    "no-inverted-scaling": _learner(scale=lambda p: 1.0),
    "scale-by-p": _learner(scale=lambda p: 1.0 / p if p else math.inf),
    "drop-with-prob-1-minus-p": _learner(drop=lambda p: 1.0 - p),
    "p-as-keep-probability": _learner(drop=lambda p: 1.0 - p, scale=lambda p: 1.0 / p if p else math.inf),
    "applied-in-eval": _learner(in_eval="dropout"),
    "scaled-in-eval": _learner(in_eval="scale"),
    "unscaled-mask": _learner(binary=True),
    "backward-binary-mask": _learner(backward=lambda dout, mask: np.where(mask > 0, dout, 0.0).astype(dout.dtype)),
    "mask-shared-across-batch": _learner(per_feature=True),
    # no check: p = 1 then divides by zero in Python (an exception, which diagnosis skips); p < 0 runs
    "p-not-validated": _learner(validate=False, source="uniform"),
    "ignores-rng": _learner(source="fresh generator"),
}


def test_every_mistake_has_a_learner_variant_here():
    assert set(LEARNERS) == {m.id for m in loaders.mistakes(KATA)}


def test_a_correct_submission_drawing_differently_passes():
    report = grade_in_process(KATA, CORRECT)
    assert report.passed, [(c.name, c.message) for c in report.checks if not c.passed]


def _diagnosis(impl, seed):
    """Diagnose `impl` as the grader does, from the reference cases (those it sends results for)."""
    cases = checks.cases(np.random.default_rng(seed))
    expected, results = [None] * len(cases), {}
    for i, case in enumerate(cases):
        if case.compare == "reference":
            expected[i] = execute(dropout, checks, case, "numpy", "cpu")
            try:
                with np.errstate(all="ignore"):
                    results[i] = execute(impl, checks, case, "numpy", "cpu")
            except (ZeroDivisionError, ProtocolError):
                pass  # reported to the learner as an exception; diagnosis skips the case
    return [d.mistake for d in verdict.diagnose(KATA, checks, cases, expected, results)]


@pytest.mark.parametrize("mistake_id", sorted(LEARNERS))
def test_a_mistake_written_differently_is_still_diagnosed(mistake_id):
    assert _diagnosis(LEARNERS[mistake_id], seed=zlib.crc32(mistake_id.encode())) == [mistake_id]


@pytest.mark.parametrize(
    "mistake_id, words",
    [
        ("no-inverted-scaling", "this looks like a 0/1 keep mask"),
        ("scale-by-p", "kept units are scaled by 1/p"),
        ("drop-with-prob-1-minus-p", "p is the probability of *dropping* a unit"),
        ("scaled-in-eval", "your out is x·(1 − p)"),
        ("backward-binary-mask", "your dx is dout·(mask ≠ 0)"),
        ("mask-shared-across-batch", "not one mask per feature shared by every sample"),
        ("ignores-rng", "same seed gave different results"),
    ],
)
def test_judge_messages_name_the_problem(mistake_id, words):
    with np.errstate(all="ignore"):
        messages = [message for _, message in _judge_failures_tolerant(LEARNERS[mistake_id])]
    assert any(words in m for m in messages), messages


def _judge_failures_tolerant(impl):
    failures = []
    for case in checks.cases(np.random.default_rng(7)):
        if case.compare == "judge":
            try:
                record = execute(impl, checks, case, "numpy", "cpu")
            except ZeroDivisionError:
                continue
            outputs = {name: r.get("data") for name, r in record["outputs"].items()}
            failures += [(case.name, d.message) for d in checks.judge(case, outputs) if not d.passed]
    return failures


def test_gradient_check_is_independent_of_the_mask_convention():
    """A submission whose backward disagrees with its own forward fails the gradient checks, named by entry."""
    cases = [c for c in checks.cases(np.random.default_rng(3)) if c.compare == "self"]
    for impl, fails in ((CORRECT, False), (LEARNERS["unscaled-mask"], True), (LEARNERS["no-inverted-scaling"], False)):
        for case in cases:
            actual = execute(impl, checks, case, "numpy", "cpu")
            differences = verdict.differences_from(checks, case, actual, {}, device=None)
            failed = [d.message for d in differences if not d.passed]
            kept = any(np.asarray(actual["outputs"][name]["data"]) != 0 for name in case.outputs[: len(case.args["entries"])])
            assert bool(failed) == (fails and kept), (case.name, failed)
            assert all(m.startswith("`dL/dx[") for m in failed)


def test_modifying_x_in_place_is_reported():
    def dropout_forward(x, p, training, rng):
        out, mask = dropout.dropout_forward(x, p, training, rng)
        x *= mask
        return out, mask

    sloppy = SimpleNamespace(dropout_forward=dropout_forward, dropout_backward=dropout.dropout_backward)
    report = grade_in_process(KATA, sloppy)
    assert any("modified its input `x` in place" in c.message for c in report.checks if not c.passed)
