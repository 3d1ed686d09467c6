"""The `optimizers` reference against torch.optim.SGD / Adagrad / RMSprop, and the kata's checks."""

from __future__ import annotations

import ast
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.grading import forbidden, loaders, verdict
from dlprep.grading.execute import execute
from dlprep.katas.catalog import load

from .helpers import assert_passes_every_case, meta_params, params_and_grads, step_on_meta, torch_optim_impl, trajectories
from .strategies import reference, rng, seeds, small

KATA = load().get("optimizers")
TORCH = {"SGD": torch.optim.SGD, "Adagrad": torch.optim.Adagrad, "RMSprop": torch.optim.RMSprop}

shapes = st.lists(st.lists(small, min_size=0, max_size=3).map(tuple), min_size=1, max_size=3)
sgd_hyper = st.fixed_dictionaries({
    "lr": st.floats(1e-3, 0.5),
    "momentum": st.sampled_from([0.0, 0.9]) | st.floats(0.0, 0.99),
    "nesterov": st.booleans(),
    "weight_decay": st.sampled_from([0.0, 1e-2]) | st.floats(0.0, 0.3),
}).filter(lambda h: not (h["nesterov"] and h["momentum"] == 0))  # torch.optim.SGD refuses that
hyper = {
    "SGD": sgd_hyper,
    "Adagrad": st.fixed_dictionaries({"lr": st.floats(1e-3, 0.5), "eps": st.sampled_from([1e-10, 1e-8, 1e-4])}),
    "RMSprop": st.fixed_dictionaries({
        "lr": st.floats(1e-4, 0.1),
        "alpha": st.sampled_from([0.99, 0.9]) | st.floats(0.0, 0.999),
        "eps": st.sampled_from([1e-8, 1e-6, 1e-3]),
    }),
}


def _assert_same(ours, theirs, **tol):
    for t, (mine, want) in enumerate(zip(ours, theirs)):
        for i, (a, b) in enumerate(zip(mine, want)):
            torch.testing.assert_close(a, b, **tol, msg=lambda m: f"step {t + 1}, param {i}: {m}")


@pytest.mark.parametrize("name", list(TORCH))
@settings(max_examples=20, deadline=None)
@given(data=st.data(), shapes=shapes, steps=st.integers(1, 30), grad_size=st.sampled_from([1e-7, 1.0, 1e3]), seed=seeds)
def test_reference_trajectory_equals_torch_optim(name, data, shapes, steps, grad_size, seed):
    kwargs = data.draw(hyper[name])
    r = rng(seed)
    params, grads = params_and_grads(r, shapes, steps, grad_size)
    ours = trajectories(getattr(reference("optimizers"), name), params, grads, **kwargs)
    theirs = trajectories(TORCH[name], params, grads, **kwargs)
    _assert_same(ours, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name, kwargs", [
    ("SGD", {"lr": 0.1}), ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("Adagrad", {}), ("RMSprop", {}),
])
def test_defaults_and_float32_equal_torch_optim(name, kwargs):
    ref = getattr(reference("optimizers"), name)
    r = rng(0)
    params = [r.standard_normal((3, 4)), r.standard_normal(5)]
    grads = [[r.standard_normal((3, 4)), r.standard_normal(5)] for _ in range(10)]
    _assert_same(trajectories(ref, params, grads, **kwargs), trajectories(TORCH[name], params, grads, **kwargs),
                 rtol=1e-12, atol=1e-14)
    ours = trajectories(ref, params, grads, dtype=torch.float32, **kwargs)
    assert all(p.dtype == torch.float32 for row in ours for p in row)
    _assert_same(ours, trajectories(TORCH[name], params, grads, dtype=torch.float32, **kwargs), rtol=1e-5, atol=1e-6)


def test_nesterov_is_the_look_ahead_form_reparametrised():
    """PyTorch's `g + μv` step is the guide's v = μv + ∇L(θ - ημv), θ = θ - ηv, seen at θ' = θ - ημv."""
    A = torch.tensor([[3.0, 0.5], [0.5, 1.0]], dtype=torch.float64)  # L(θ) = ½θᵀAθ, ∇L = Aθ
    lr, mu = 0.05, 0.9
    theta, v = torch.tensor([1.0, -2.0], dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    p = theta.clone().requires_grad_()
    sgd = reference("optimizers").SGD([p], lr=lr, momentum=mu, nesterov=True)
    for _ in range(25):
        v = mu * v + A @ (theta - lr * mu * v)  # the guide's look-ahead gradient
        theta = theta - lr * v
        p.grad = A @ p.detach()  # the optimizer only sees the gradient where it stands
        sgd.step()
        torch.testing.assert_close(p.detach(), theta - lr * mu * v, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", list(TORCH))
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_reference_runs_on_meta(name, dtype):
    params = meta_params(dtype)
    kwargs = {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1} if name == "SGD" else {}
    optimizer = getattr(reference("optimizers"), name)(iter(params), **kwargs)
    step_on_meta(optimizer, params, dtype)
    state = {"SGD": "buffers", "Adagrad": "sums", "RMSprop": "square_avgs"}[name]
    assert all(s.device.type == "meta" and s.dtype == dtype for s in getattr(optimizer, state))


@pytest.mark.parametrize("foreach", [False, True])
def test_torch_optim_passes_every_case(foreach):
    """What the grader expects (the reference) is what torch.optim does, within the grader's tolerances."""
    assert_passes_every_case(KATA, torch_optim_impl(TORCH, foreach=foreach))


def test_cases_cover_what_the_issue_asks():
    cases = loaders.make_cases(KATA)
    assert {c.call for c in cases} == set(TORCH)
    for call in TORCH:
        mine = [c for c in cases if c.call == call]
        assert {c.dtype for c in mine} == {"float32", "float64"}, call
        assert any(g is None for c in mine for row in c.args["grads"] for g in row), call
        assert any(g is not None and not g.any() for c in mine for row in c.args["grads"] for g in row), call
    sgd = [c.args for c in cases if c.call == "SGD"]
    assert any(a.get("momentum", 0) == 0 for a in sgd) and any(a.get("momentum", 0) > 0 for a in sgd)
    assert any(a.get("nesterov") for a in sgd) and any(a.get("weight_decay", 0) > 0 for a in sgd)
    for call in ("Adagrad", "RMSprop"):
        tiny = [c for c in cases if c.call == call and c.dtype == "float64"
                and max(np.abs(g).max() for row in c.args["grads"] for g in row if g is not None) < 1e-6]
        assert tiny, f"{call}: no float64 case with gradients of size 1e-7"


def test_eps_inside_the_root_is_told_by_tiny_gradients():
    """The cases with gradients of size 1e-7 tell the `*-eps-inside-sqrt` mistakes from the reference."""
    kata_mistakes = {m.id: m for m in loaders.mistakes(KATA)}
    checks, cases, ref = loaders.checks_module(KATA), loaders.make_cases(KATA), loaders.reference(KATA)
    for mistake_id, call in (("adagrad-eps-inside-sqrt", "Adagrad"), ("rmsprop-eps-inside-sqrt", "RMSprop")):
        wrong = loaders.mistake_impl(KATA, kata_mistakes[mistake_id])
        for case in (c for c in cases if c.call == call):
            expected = execute(ref, checks, case, "torch", "cpu")
            told = not all(d.passed for d in verdict.differences_from(checks, case, execute(wrong, checks, case, "torch", "cpu"), expected, "cpu"))
            if "1e-7" in case.name:
                assert told, (mistake_id, case.name)


def test_subclassing_torch_optim_is_forbidden():
    source = "import torch\n\nclass SGD(torch.optim.Optimizer):\n    pass\n"
    assert [use.api for use in forbidden.scan(ast.parse(source), KATA.forbidden)] == ["torch.optim.Optimizer"]
    assert forbidden.scan(ast.parse("from torch.optim import SGD\n"), KATA.forbidden)
