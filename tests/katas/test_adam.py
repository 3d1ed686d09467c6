"""The `adam` reference against torch.optim.Adam / AdamW, the kata's checks, every form of a known
mistake named as it, and a fault no mistake describes located by the probes."""

from __future__ import annotations

import ast
import types

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.grading import forbidden, loaders, verdict
from dlprep.grading.execute import execute
from dlprep.katas.catalog import load
from dlprep.solutions.mistakes import adam as catalogue

from .helpers import (assert_passes_every_case, grade_in_process, meta_params, params_and_grads, step_on_meta, torch_optim_impl,
                      trajectories)
from .strategies import reference, rng, seeds, small

KATA = load().get("adam")
TORCH = {"Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW}

shapes = st.lists(st.lists(small, min_size=0, max_size=3).map(tuple), min_size=1, max_size=3)
hyper = st.fixed_dictionaries({
    "lr": st.floats(1e-4, 0.3),
    "betas": st.tuples(st.floats(0.0, 0.99), st.floats(0.5, 0.9999)),
    "eps": st.sampled_from([1e-8, 1e-6, 1e-3]),
    "weight_decay": st.sampled_from([0.0, 1e-2]) | st.floats(0.0, 0.3),
})


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@settings(max_examples=25, deadline=None)
@given(shapes=shapes, steps=st.integers(1, 30), hyper=hyper, grad_size=st.sampled_from([1e-7, 1.0, 1e3]), seed=seeds)
def test_reference_trajectory_equals_torch_optim(name, shapes, steps, hyper, grad_size, seed):
    r = rng(seed)
    params, grads = params_and_grads(r, shapes, steps, grad_size)
    ours = trajectories(getattr(reference("adam"), name), params, grads, **hyper)
    theirs = trajectories(TORCH[name], params, grads, **hyper)
    for t, (mine, want) in enumerate(zip(ours, theirs)):
        for i, (a, b) in enumerate(zip(mine, want)):
            torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12, msg=lambda m: f"step {t + 1}, param {i}: {m}")


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_defaults_equal_torch_optim(name):
    ref = getattr(reference("adam"), name)
    r = rng(0)
    params = [r.standard_normal((3, 4)), r.standard_normal(5)]
    grads = [[r.standard_normal((3, 4)), r.standard_normal(5)] for _ in range(10)]
    for mine, want in zip(trajectories(ref, params, grads), trajectories(TORCH[name], params, grads)):
        for a, b in zip(mine, want):
            torch.testing.assert_close(a, b, rtol=1e-12, atol=0.0)


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_reference_runs_on_meta(name, dtype):
    params = meta_params(dtype)
    optimizer = getattr(reference("adam"), name)(iter(params), lr=0.1, weight_decay=0.1)
    step_on_meta(optimizer, params, dtype)
    for state in optimizer.state:
        assert state["t"] == 3
        assert all(state[k].device.type == "meta" and state[k].dtype == dtype for k in "mv")


@pytest.mark.parametrize("foreach", [False, True])
def test_torch_optim_passes_every_case(foreach):
    """What the grader expects (the reference) is what torch.optim does, within the grader's tolerances."""
    assert_passes_every_case(KATA, torch_optim_impl(TORCH, foreach=foreach))


def test_cases_cover_what_the_contract_asks():
    cases = [c for c in loaders.make_cases(KATA) if not c.probe]
    assert {c.call for c in cases} == {"Adam", "AdamW"}
    assert {c.dtype for c in cases} == {"float32", "float64"}
    for call in ("Adam", "AdamW"):
        mine = [c for c in cases if c.call == call]
        assert any(g is None for c in mine for row in c.args["grads"] for g in row), call
        assert any(g is not None and not g.any() for c in mine for row in c.args["grads"] for g in row), call
        tiny = [c for c in mine if c.dtype == "float64" and max(np.abs(g).max() for row in c.args["grads"] for g in row if g is not None) < 1e-6]
        assert tiny, f"{call}: no float64 case with gradients of size 1e-7"
        assert len({tuple(sorted((k, str(v)) for k, v in c.args.items() if k not in ("params", "grads"))) for c in mine}) >= 4
        assert all(len(c.args["params"]) >= 2 for c in mine if c.args["params"][0].size > 1)


class _Lazy:
    """Correct steps (delegated to torch.optim), but zero_grad does `zero_grad_behaviour`."""

    def __init__(self, params, zero_grad_behaviour, **kwargs):
        self.params = list(params)
        self.inner = torch.optim.Adam(self.params, **kwargs)
        self.behaviour = zero_grad_behaviour

    def step(self):
        self.inner.step()

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                self.behaviour(p)


@pytest.mark.parametrize(
    "behaviour, cleared",
    [(lambda p: None, False), (lambda p: p.grad.zero_(), True), (lambda p: setattr(p, "grad", None), True)],
    ids=["does-nothing", "zeros", "none"],
)
def test_run_checks_zero_grad(behaviour, cleared):
    checks, cases = loaders.checks_module(KATA), loaders.make_cases(KATA)
    case = next(c for c in cases if c.call == "Adam")
    impl = types.SimpleNamespace(Adam=lambda p, **kw: _Lazy(p, behaviour, **kw))
    result = execute(impl, checks, case, "torch", "cpu")
    assert bool(result["outputs"]["grads_cleared_by_zero_grad"]["data"]) is cleared
    ref = execute(loaders.reference(KATA), checks, case, "torch", "cpu")
    failed = [d for d in verdict.differences_from(checks, case, result, ref, "cpu") if not d.passed]
    assert bool(failed) is not cleared
    if not cleared:
        assert "grads_cleared_by_zero_grad" in failed[0].message


def test_run_names_the_class_or_zero_grad_when_not_implemented():
    checks, cases = loaders.checks_module(KATA), loaders.make_cases(KATA)
    case = next(c for c in cases if c.call == "AdamW")

    class NoStep:
        def __init__(self, params, **kwargs):
            self.params = list(params)

        def step(self):
            raise NotImplementedError

        def zero_grad(self):
            raise NotImplementedError

    class NoZeroGrad(NoStep):
        def step(self):
            pass

    with pytest.raises(NotImplementedError) as info:
        execute(types.SimpleNamespace(AdamW=NoStep), checks, case, "torch", "cpu")
    assert info.value.args == ("AdamW",)
    with pytest.raises(NotImplementedError) as info:
        execute(types.SimpleNamespace(AdamW=NoZeroGrad), checks, case, "torch", "cpu")
    assert info.traceback[-1].name == "zero_grad"


def test_subclassing_torch_optim_is_forbidden():
    source = "import torch\n\nclass Adam(torch.optim.Optimizer):\n    pass\n"
    assert [use.api for use in forbidden.scan(ast.parse(source), KATA.forbidden)] == ["torch.optim.Optimizer"]
    assert forbidden.scan(ast.parse("from torch import optim\n"), KATA.forbidden)


MISTAKES = loaders.mistakes(KATA)


def _first_moment_weighing_g_twice(m, g, beta):
    return m.mul_(beta).add_(g, alpha=2 * (1 - beta))


def _first_moment_decaying_twice(m, g, beta):
    return m.mul_(beta * beta).add_(g, alpha=1 - beta)  # right at step 1, where m starts at 0


def _half_the_l2_gradient(opt, p, g):
    return g + opt.weight_decay / 2 * p


def _decay_twice_as_strong(opt, p, g):
    p.mul_(1 - 2 * opt.lr * opt.weight_decay)
    return g


@pytest.mark.parametrize("fault, probe", [
    (dict(first_moment=_first_moment_weighing_g_twice), "probe: Adam, one step"),
    (dict(first_moment=_first_moment_decaying_twice), "probe: Adam, three steps"),
    (dict(adam_decay=_half_the_l2_gradient), "probe: Adam, weight_decay, two steps"),
    (dict(adamw_decay=_decay_twice_as_strong), "probe: AdamW, one step"),
], ids=["step-1", "step-2", "l2", "decoupled"])
def test_an_unknown_fault_is_located_by_the_first_probe_it_fails(fault, probe):
    impl = types.SimpleNamespace(**catalogue._optimizers(**fault))
    checks = loaders.checks_module(KATA)
    for case in loaders.make_cases(KATA):
        execute(impl, checks, case, "torch", "cpu")  # a fault in the numbers, not one that raises
    report = grade_in_process(KATA, impl)
    assert not report.passed and report.diagnosis == []
    assert report.localisation is not None and report.localisation.case.startswith(probe + ";")


def test_probes_are_few_and_tiny():
    probes = [case for case in loaders.make_cases(KATA) if case.probe]
    assert 3 <= len(probes) <= 8
    assert all(sum(np.size(p) for p in case.args["params"]) * len(case.args["grads"]) <= 20 for case in probes)
    assert all(abs(g).min() >= 1 for case in probes for row in case.args["grads"] for g in row if g is not None)
