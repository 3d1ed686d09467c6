"""`layernorm`: the reference agrees with F.layer_norm and its autograd, and with central differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders, verdict
from dlprep.grading.spec import Case
from dlprep.grading.checks import layernorm as checks
from dlprep.grading.execute import execute
from dlprep.katas.catalog import load

from .helpers import grade_with_stub_backward
from .strategies import reference, rng, seeds, small

layernorm = reference("layernorm")
KATA = load().get("layernorm")
leading_axes = st.lists(small, max_size=3)


def assert_matches_layer_norm(x, gamma, beta, dout, eps, rtol=1e-10, atol=1e-12):
    before = [a.copy() for a in (x, gamma, beta, dout)]
    out, cache = layernorm.layernorm_forward(x, gamma, beta, eps=eps)
    dx, dgamma, dbeta = layernorm.layernorm_backward(dout, cache)
    for a, b in zip((x, gamma, beta, dout), before):  # read-only inputs
        assert np.array_equal(a, b)
    xt, gt, bt = (torch.from_numpy(a.copy()).requires_grad_() for a in (x, gamma, beta))
    expected = F.layer_norm(xt, (x.shape[-1],), gt, bt, eps)
    expected.backward(torch.from_numpy(dout.copy()))
    for got, want, what in [(out, expected, "out"), (dx, xt.grad, "dx"), (dgamma, gt.grad, "dgamma"), (dbeta, bt.grad, "dbeta")]:
        assert isinstance(got, np.ndarray) and got.dtype == x.dtype, what
        assert got.shape == tuple(want.shape), what
        np.testing.assert_allclose(got, want.detach().numpy(), rtol=rtol, atol=atol, err_msg=what)


def draw_inputs(gen, lead, D, dtype=np.float64):
    shape = (*lead, D)
    x = gen.standard_normal(shape) * gen.uniform(0.5, 2.0, (*lead, 1)) + gen.standard_normal((*lead, 1))
    gamma, beta = 1.0 + 0.5 * gen.standard_normal(D), gen.standard_normal(D)
    return [a.astype(dtype) for a in (x, gamma, beta, gen.standard_normal(shape))]


@settings(max_examples=25, deadline=None)
@given(lead=leading_axes, D=small, eps=st.sampled_from([1e-5, 1e-3]), seed=seeds)
def test_matches_f_layer_norm_and_autograd(lead, D, eps, seed):
    x, gamma, beta, dout = draw_inputs(rng(seed), lead, D)
    assert_matches_layer_norm(x, gamma, beta, dout, eps)


@settings(max_examples=10, deadline=None)
@given(lead=leading_axes, D=st.integers(2, 6), seed=seeds)
def test_float32_stays_float32_and_matches_f_layer_norm(lead, D, seed):
    x, gamma, beta, dout = draw_inputs(rng(seed), lead, D)
    # rows of standard deviation exactly 1: float32 rounding is amplified by 1/σ (D = 1, or two close
    # features, leave PyTorch's float32 kernel ~1e-5 of rounding × 1/√ε where the exact dx is 0)
    x = (x - x.mean(axis=-1, keepdims=True)) / x.std(axis=-1, keepdims=True) + x.mean(axis=-1, keepdims=True)
    x, gamma, beta, dout = (a.astype(np.float32) for a in (x, gamma, beta, dout))
    assert_matches_layer_norm(x, gamma, beta, dout, 1e-5, rtol=1e-4, atol=1e-5)


def test_padding_rows_of_zeros_and_constant_rows_are_finite_and_match():
    gen = rng(1)
    x, gamma, beta, dout = draw_inputs(gen, (2, 3), 5)
    x[0, 1] = 0.0
    x[1, 2] = 3.5
    assert_matches_layer_norm(x, gamma, beta, dout, 1e-5, rtol=1e-9)


def grad_check_messages(impl, shape, seed):
    """Every entry of x, gamma and beta gradient-checked through the grader's own path."""
    gen = rng(seed)
    x, gamma, beta, dout = draw_inputs(gen, shape[:-1], shape[-1])
    entries = (*(("x", i) for i in np.ndindex(*shape)), *(("gamma", (j,)) for j in range(shape[-1])),
               *(("beta", (j,)) for j in range(shape[-1])))
    entries = tuple((name, tuple(int(k) for k in index)) for name, index in entries)
    names = [f"{name}{list(index)}" for name, index in entries]
    case = Case(
        "gradient check", "layernorm_backward",
        {"x": x, "gamma": gamma, "beta": beta, "dout": dout, "entries": entries, "h": checks.H},
        outputs=(*(f"d{n}" for n in names), *(f"+{n}" for n in names), *(f"-{n}" for n in names)),
        compare="self", scale=checks.GRAD_CHECK_SCALE,
    )
    actual = execute(impl, checks, case, "numpy", "cpu")
    return [d.message for d in verdict.differences_from(checks, case, actual, {}, device=None) if not d.passed]


@settings(max_examples=20, deadline=None)
@given(lead=st.lists(small, max_size=2), D=st.integers(2, 6), seed=seeds)
def test_reference_passes_central_differences_at_every_entry(lead, D, seed):
    x = draw_inputs(rng(seed), lead, D)[0]  # as grad_check_messages draws it
    assume(x.std(axis=-1).min() > 0.2)  # x̂ is steep where a row barely varies: central differences need a spread
    assert grad_check_messages(layernorm, (*lead, D), seed) == []


def _mistake(mistake_id):
    (found,) = [m for m in loaders.mistakes(KATA) if m.id == mistake_id]
    return loaders.mistake_impl(KATA, found)


def test_grad_check_catches_a_dx_without_the_mean_terms_but_not_its_gamma_and_beta():
    messages = grad_check_messages(_mistake("dx-missing-mean-terms"), (2, 4), seed=5)
    assert len(messages) == 8 and all(m.startswith("`dx[") for m in messages), messages


def test_dgamma_summed_over_axis_0_only_is_reported_by_its_shape():
    case = next(c for c in loaders.make_cases(KATA) if c.call == "layernorm_backward" and c.args["x"].ndim == 3)
    expected = execute(layernorm, checks, case, "numpy", "cpu")
    actual = execute(_mistake("dgamma-not-summed"), checks, case, "numpy", "cpu")
    failed = [d.message for d in verdict.differences_from(checks, case, actual, expected, None) if not d.passed]
    D = case.args["x"].shape[-1]
    assert failed == [f"`dgamma` has shape {case.args['x'].shape[1:]}, expected ({D},)",
                      f"`dbeta` has shape {case.args['x'].shape[1:]}, expected ({D},)"]


def test_a_forward_written_with_a_stub_backward_names_only_the_backward(tmp_path):
    report = grade_with_stub_backward(KATA, tmp_path)
    assert report.error.kind == "not-implemented"
    assert "`layernorm_backward`" in report.error.message and "layernorm_forward" not in report.error.message
    forward_checks = [c for c in report.checks if c.name.startswith("forward")]
    assert forward_checks and all(c.passed for c in forward_checks)


def test_cases_cover_the_contract():
    cases = loaders.make_cases(KATA)
    shapes = [c.args["x"].shape for c in cases]
    assert {len(s) for s in shapes} >= {1, 2, 3, 4}
    assert any(s[0] == 1 for s in shapes if len(s) > 1)
    assert {c.dtype for c in cases} == {"float64", "float32"}
    assert {c.call for c in cases} == {"layernorm_forward", "layernorm_backward"}
    assert sum(c.compare == "self" for c in cases) >= 2
    assert any((c.args["x"] == 0).all(axis=-1).any() for c in cases)  # a padding row


@pytest.mark.parametrize("mistake_id", ["normalise-over-batch", "unbiased-variance", "eps-outside-sqrt"])
def test_forward_mistakes_disagree_with_f_layer_norm(mistake_id):
    x, gamma, beta, _ = draw_inputs(rng(2), (3,), 4)
    out, _ = _mistake(mistake_id).layernorm_forward(x, gamma, beta)
    want = F.layer_norm(torch.from_numpy(x), (4,), torch.from_numpy(gamma), torch.from_numpy(beta)).numpy()
    assert not np.allclose(out, want, rtol=1e-7, atol=0)
