"""`batchnorm`: the reference agrees with nn.BatchNorm1d (train and eval) and with central differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders, verdict
from dlprep.grading.spec import Case
from dlprep.grading.checks import batchnorm as checks
from dlprep.grading.execute import execute
from dlprep.katas.catalog import load

from .helpers import grade_with_stub_backward
from .strategies import reference, rng, seeds, small

batchnorm = reference("batchnorm")
KATA = load().get("batchnorm")
momenta = st.sampled_from([0.1, 0.3, 0.9])
epsilons = st.sampled_from([1e-5, 1e-3])


def make_module(gen, D, momentum, eps, dtype=torch.float64):
    """An nn.BatchNorm1d some way into training: weight, bias and running statistics drawn."""
    module = torch.nn.BatchNorm1d(D, eps=eps, momentum=momentum, dtype=dtype)
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(1.0 + 0.5 * gen.standard_normal(D)))
        module.bias.copy_(torch.from_numpy(0.5 * gen.standard_normal(D)))
        module.running_mean.copy_(torch.from_numpy(0.5 * gen.standard_normal(D)))
        module.running_var.copy_(torch.from_numpy(gen.uniform(0.5, 2.0, D)))
    return module


def state_of(module, dtype=np.float64):
    return {
        "gamma": module.weight.detach().numpy().astype(dtype),
        "beta": module.bias.detach().numpy().astype(dtype),
        "running_mean": module.running_mean.numpy().astype(dtype),  # copies: ours evolve separately
        "running_var": module.running_var.numpy().astype(dtype),
    }


def assert_step_matches(module, state, x, dout, training, momentum, eps, rtol=1e-10, atol=1e-12):
    """One forward and backward of the reference against the module; running statistics compared after."""
    x_before = x.copy()
    out, cache = batchnorm.batchnorm_forward(x, state["gamma"], state["beta"], state["running_mean"],
                                             state["running_var"], training=training, momentum=momentum, eps=eps)
    dx, dgamma, dbeta = batchnorm.batchnorm_backward(dout, cache)
    module.train(training)
    module.zero_grad()
    xt = torch.from_numpy(x.copy()).requires_grad_()
    expected = module(xt)
    expected.backward(torch.from_numpy(dout.copy()))
    assert np.array_equal(x, x_before)
    for got, want, what in [
        (out, expected, "out"),
        (state["running_mean"], module.running_mean, "running_mean"),
        (state["running_var"], module.running_var, "running_var"),
        (dx, xt.grad, "dx"),
        (dgamma, module.weight.grad, "dgamma"),
        (dbeta, module.bias.grad, "dbeta"),
    ]:
        assert got.dtype == x.dtype, what
        np.testing.assert_allclose(got, want.detach().numpy(), rtol=rtol, atol=atol, err_msg=what)


@settings(max_examples=20, deadline=None)
@given(N=st.integers(2, 6), D=small, steps=st.integers(1, 3), momentum=momenta, eps=epsilons, seed=seeds)
def test_training_matches_batchnorm1d_over_several_steps(N, D, steps, momentum, eps, seed):
    gen = rng(seed)
    module = make_module(gen, D, momentum, eps)
    state = state_of(module)
    for _ in range(steps):
        x = gen.standard_normal((N, D)) * gen.uniform(0.5, 2.0, D) + gen.standard_normal(D)
        assert_step_matches(module, state, x, gen.standard_normal((N, D)), True, momentum, eps)


@settings(max_examples=20, deadline=None)
@given(N=small, D=small, momentum=momenta, eps=epsilons, seed=seeds)
def test_eval_matches_batchnorm1d_and_leaves_the_running_statistics(N, D, momentum, eps, seed):
    gen = rng(seed)
    module = make_module(gen, D, momentum, eps)
    state = state_of(module)
    before = {k: v.copy() for k, v in state.items()}
    x = gen.standard_normal((N, D)) * 2.0
    assert_step_matches(module, state, x, gen.standard_normal((N, D)), False, momentum, eps)
    for name in ("running_mean", "running_var"):
        assert np.array_equal(state[name], before[name])


@settings(max_examples=10, deadline=None)
@given(N=st.integers(2, 6), D=small, training=st.booleans(), seed=seeds)
def test_float32_stays_float32_and_matches_batchnorm1d(N, D, training, seed):
    gen = rng(seed)
    module = make_module(gen, D, 0.1, 1e-5, dtype=torch.float32)
    state = state_of(module, np.float32)
    z = gen.standard_normal((N, D))
    # features of standard deviation exactly 1: float32 rounding is amplified by 1/σ
    x = ((z - z.mean(axis=0)) / z.std(axis=0) + gen.standard_normal(D)).astype(np.float32)
    dout = gen.standard_normal((N, D)).astype(np.float32)
    assert_step_matches(module, state, x, dout, training, 0.1, 1e-5, rtol=1e-4, atol=1e-5)


def test_training_rejects_a_batch_of_one_as_pytorch_does():
    gen = rng(0)
    module = make_module(gen, 3, 0.1, 1e-5)
    state = state_of(module)
    x = gen.standard_normal((1, 3))
    with pytest.raises(ValueError):
        module.train()(torch.from_numpy(x))
    with pytest.raises(ValueError, match="at least 2"):
        batchnorm.batchnorm_forward(x, **state)


def grad_check_messages(impl, case):
    actual = execute(impl, checks, case, "numpy", "cpu")
    return [d.message for d in verdict.differences_from(checks, case, actual, {}, device=None) if not d.passed]


def every_entry_case(gen, N, D, training, x):
    args = {"x": x, "gamma": 1.0 + 0.5 * gen.standard_normal(D), "beta": gen.standard_normal(D),
            "running_mean": gen.standard_normal(D), "running_var": gen.uniform(0.5, 2.0, D),
            "training": training, "dout": gen.standard_normal((N, D))}
    entries = (*(("x", i) for i in np.ndindex(N, D)), *(("gamma", (j,)) for j in range(D)), *(("beta", (j,)) for j in range(D)))
    entries = tuple((name, tuple(int(k) for k in index)) for name, index in entries)
    names = [f"{name}{list(index)}" for name, index in entries]
    outputs = (*(f"d{n}" for n in names), *(f"+{n}" for n in names), *(f"-{n}" for n in names))
    return Case("gradient check", "batchnorm_backward", {**args, "entries": entries, "h": checks.H},
                       outputs=outputs, compare="self", scale=checks.GRAD_CHECK_SCALE, updates=checks.UPDATES)


@settings(max_examples=20, deadline=None)
@given(N=small, D=small, training=st.booleans(), seed=seeds)
def test_reference_passes_central_differences_at_every_entry(N, D, training, seed):
    gen = rng(seed)
    assume(N >= 2 or not training)
    x = gen.standard_normal((N, D)) * gen.uniform(0.5, 2.0, D)
    if training:  # x̂ is steep where a feature barely varies: central differences need a spread
        assume(x.std(axis=0).min() > 0.2)
    assert grad_check_messages(batchnorm, every_entry_case(gen, N, D, training, x)) == []


def test_grad_check_names_the_entry_a_backward_without_the_mean_path_gets_wrong():
    (missing,) = [m for m in loaders.mistakes(KATA) if m.id == "backward-ignores-mean-path"]
    impl = loaders.mistake_impl(KATA, missing)
    gen = rng(3)
    train = every_entry_case(gen, 4, 2, True, gen.standard_normal((4, 2)))
    messages = grad_check_messages(impl, train)
    assert len(messages) == 8 and all(m.startswith("`dx[") for m in messages), messages  # γ and β are right
    assert grad_check_messages(impl, every_entry_case(gen, 4, 2, False, gen.standard_normal((4, 2)))) == []


def test_a_forward_written_with_a_stub_backward_names_only_the_backward(tmp_path):
    report = grade_with_stub_backward(KATA, tmp_path)
    assert report.error.kind == "not-implemented"
    assert "`batchnorm_backward`" in report.error.message and "batchnorm_forward" not in report.error.message
    forward_checks = [c for c in report.checks if "forward" in c.name or "steps" in c.name]
    assert forward_checks and all(c.passed for c in forward_checks)


def test_a_rebound_running_mean_is_reported_after_the_call():
    (rebound,) = [m for m in loaders.mistakes(KATA) if m.id == "running-stats-not-in-place"]
    case = next(c for c in loaders.make_cases(KATA) if c.call == "batchnorm_forward" and c.args.get("training", True))
    expected = execute(batchnorm, checks, case, "numpy", "cpu")
    actual = execute(loaders.mistake_impl(KATA, rebound), checks, case, "numpy", "cpu")
    failed = [d.message for d in verdict.differences_from(checks, case, actual, expected, None) if not d.passed]
    assert failed and failed[0].startswith("`running_mean after the call`")


def test_cases_cover_the_contract():
    cases = loaders.make_cases(KATA)
    single = [c for c in cases if "x" in c.args]
    training = [c for c in single if c.args.get("training", True)]
    assert min(c.args["x"].shape[0] for c in training) == 2  # never N = 1 in training
    assert any(c.args["x"].shape[0] == 1 for c in single if not c.args.get("training", True))
    assert {c.dtype for c in cases} == {"float64", "float32"}
    assert {c.call for c in cases} == {"batchnorm_forward", "batchnorm_backward"}
    assert any("batches" in c.args for c in cases)
    assert {c.args.get("training") for c in cases if c.compare == "self"} == {True, False}
    assert all(c.updates == ("running_mean", "running_var") for c in cases)
