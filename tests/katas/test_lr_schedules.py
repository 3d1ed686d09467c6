"""The `lr_schedules` reference against torch.optim.lr_scheduler, and the kata's checks."""

from __future__ import annotations

import ast
import math
import types
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.optim import lr_scheduler

from dlprep import paths
from dlprep.grading import loaders, verdict
from dlprep.grading.execute import ProtocolError, execute
from dlprep.katas.catalog import load

from .strategies import reference

KATA = load().get("lr_schedules")
REF = reference("lr_schedules")


def _rates(make_scheduler, lr, steps):
    """The learning rate a dummy optimizer uses at steps 0..steps-1 under `make_scheduler`."""
    p = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=lr)
    scheduler = make_scheduler(optimizer)
    rates = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. stepping the scheduler before the optimizer
        for _ in range(steps):
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
    return rates


def _close(ours, theirs, scale):
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14 * scale)


lrs = st.floats(1e-5, 2.0)


@settings(max_examples=25, deadline=None)
@given(lr0=lrs, gamma=st.floats(0.05, 1.0), step_size=st.integers(1, 10), steps=st.integers(1, 60))
def test_step_decay_equals_step_lr(lr0, gamma, step_size, steps):
    ours = [REF.step_decay(e, lr0, gamma, step_size) for e in range(steps)]
    _close(ours, _rates(lambda o: lr_scheduler.StepLR(o, step_size, gamma), lr0, steps), lr0)


@settings(max_examples=25, deadline=None)
@given(lr0=lrs, gamma=st.floats(0.5, 1.0), steps=st.integers(1, 60))
def test_exponential_decay_equals_exponential_lr(lr0, gamma, steps):
    ours = [REF.exponential_decay(e, lr0, gamma) for e in range(steps)]
    _close(ours, _rates(lambda o: lr_scheduler.ExponentialLR(o, gamma), lr0, steps), lr0)


@settings(max_examples=25, deadline=None)
@given(lr_max=lrs, fraction=st.sampled_from([0.0, 0.01]) | st.floats(0.0, 0.9), T=st.integers(1, 200))
def test_cosine_annealing_equals_cosine_annealing_lr(lr_max, fraction, T):
    lr_min = lr_max * fraction
    ours = [REF.cosine_annealing(t, T, lr_max, lr_min) for t in range(T + 1)]
    theirs = _rates(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=T, eta_min=lr_min), lr_max, T + 1)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-13 * lr_max)  # PyTorch's is a recurrence
    assert math.isclose(ours[0], lr_max, rel_tol=1e-15) and math.isclose(ours[-1], lr_min, rel_tol=1e-15, abs_tol=1e-15 * lr_max)


@settings(max_examples=25, deadline=None)
@given(lr_max=lrs, warmup=st.integers(0, 50), extra=st.integers(1, 20))
def test_linear_warmup_equals_lambda_lr(lr_max, warmup, extra):
    steps = warmup + extra
    ours = [REF.linear_warmup(t, warmup, lr_max) for t in range(steps)]
    theirs = _rates(lambda o: lr_scheduler.LambdaLR(o, lambda t: min(1.0, t / warmup) if warmup else 1.0), lr_max, steps)
    _close(ours, theirs, lr_max)
    assert ours[0] == (0.0 if warmup else lr_max) and ours[warmup:] == [lr_max] * extra


def test_the_other_warmup_convention_is_linear_lr_and_the_off_by_one_mistake():
    """LinearLR(start_factor=1/w, total_iters=w-1) is (t+1)/w: what `warmup-off-by-one` computes, not the kata."""
    off_by_one = next(m for m in loaders.mistakes(KATA) if m.id == "warmup-off-by-one").overrides["linear_warmup"]
    w, lr_max = 8, 0.3
    theirs = _rates(lambda o: lr_scheduler.LinearLR(o, start_factor=1 / w, end_factor=1.0, total_iters=w - 1), lr_max, 15)
    _close([off_by_one(t, w, lr_max) for t in range(15)], theirs, lr_max)
    assert REF.linear_warmup(0, w, lr_max) == 0.0 != theirs[0]


@settings(max_examples=25, deadline=None)
@given(
    max_lr=lrs,
    total_steps=st.integers(2, 300),
    pct_start=st.sampled_from([0.3, 0.25, 0.5]) | st.floats(0.05, 0.95),
    div_factor=st.sampled_from([25.0, 10.0]) | st.floats(1.5, 100.0),
    final_div_factor=st.sampled_from([1e4, 100.0]) | st.floats(1.5, 1e5),
)
def test_one_cycle_equals_one_cycle_lr(max_lr, total_steps, pct_start, div_factor, final_div_factor):
    if pct_start * total_steps - 1 == 0:
        return  # the peak at step 0: PyTorch divides 0 by 0 there
    ours = [REF.one_cycle(t, total_steps, max_lr, pct_start, div_factor, final_div_factor) for t in range(total_steps)]
    theirs = _rates(
        lambda o: lr_scheduler.OneCycleLR(
            o, max_lr=max_lr, total_steps=total_steps, pct_start=pct_start, anneal_strategy="cos",
            cycle_momentum=False, div_factor=div_factor, final_div_factor=final_div_factor, three_phase=False,
        ),
        0.5,  # OneCycleLR ignores the optimizer's own lr
        total_steps,
    )
    _close(ours, theirs, max_lr)


def test_one_cycle_landmarks():
    initial, peak_lr, floor = 0.1 / 25, 0.1, 0.1 / 25 / 1e4
    rates = [REF.one_cycle(t, 100, 0.1) for t in range(100)]
    assert math.isclose(rates[0], initial, rel_tol=1e-14) and rates[29] == peak_lr and rates[99] == floor
    assert max(rates) == peak_lr and np.all(np.diff(rates[:30]) > 0) and np.all(np.diff(rates[29:]) < 0)


def _case_impl(**functions):
    return types.SimpleNamespace(**{name: functions.get(name, getattr(REF, name)) for name in KATA.functions})


def test_grader_expects_what_the_torch_schedulers_give():
    """Every case's expected rates are the torch scheduler's, within the grader's tolerances."""
    checks, cases = loaders.checks_module(KATA), loaders.make_cases(KATA)
    schedulers = {
        "step_decay": lambda a: (a["lr0"], lambda o: lr_scheduler.StepLR(o, a["step_size"], a["gamma"])),
        "exponential_decay": lambda a: (a["lr0"], lambda o: lr_scheduler.ExponentialLR(o, a["gamma"])),
        "cosine_annealing": lambda a: (a["lr_max"], lambda o: lr_scheduler.CosineAnnealingLR(o, a["T"], a.get("lr_min", 0.0))),
        "linear_warmup": lambda a: (a["lr_max"], lambda o: lr_scheduler.LambdaLR(
            o, lambda t: min(1.0, t / a["warmup_steps"]) if a["warmup_steps"] else 1.0)),
        "one_cycle": lambda a: (a["max_lr"], lambda o: lr_scheduler.OneCycleLR(
            o, a["max_lr"], a["total_steps"], pct_start=a.get("pct_start", 0.3), anneal_strategy="cos",
            cycle_momentum=False, div_factor=a.get("div_factor", 25.0),
            final_div_factor=a.get("final_div_factor", 1e4), three_phase=False)),
    }
    for case in cases:
        lr, make = schedulers[case.call](case.args)
        steps = len(case.args.get("t", case.args.get("epoch")))
        theirs = {"outputs": {"lr": {"kind": "ndarray", "dtype": "float64", "shape": [steps], "data": np.asarray(_rates(make, lr, steps))}}}
        ours = execute(loaders.reference(KATA), checks, case, "python", "cpu")
        failed = [d.message for d in verdict.differences_from(checks, case, theirs, ours, None) if not d.passed]
        assert not failed, (case.name, failed)


def test_cases_cover_t_zero_and_boundaries():
    cases = loaders.make_cases(KATA)
    assert {c.call for c in cases} == set(KATA.functions)
    for case in cases:
        values = case.args.get("t", case.args.get("epoch"))
        assert values == list(range(len(values))), case.name  # lr[t] is the rate at t, from t = 0
    assert any(c.args["warmup_steps"] == 0 for c in cases if c.call == "linear_warmup")
    assert all(len(c.args["t"]) == c.args["T"] + 1 for c in cases if c.call == "cosine_annealing")  # up to t = T
    assert all(len(c.args["t"]) == c.args["total_steps"] for c in cases if c.call == "one_cycle")  # the last step
    peaks = [c.args.get("pct_start", 0.3) * c.args["total_steps"] - 1 for c in cases if c.call == "one_cycle"]
    assert any(p != int(p) for p in peaks) and any(abs(p - round(p)) < 1e-9 for p in peaks)


def test_a_tensor_rate_is_refused_with_a_clear_message():
    checks = loaders.checks_module(KATA)
    case = next(c for c in loaders.make_cases(KATA) if c.call == "exponential_decay")
    impl = _case_impl(exponential_decay=lambda epoch, lr0, gamma: torch.tensor(lr0 * gamma**epoch))
    with pytest.raises(ProtocolError, match="plain Python float"):
        execute(impl, checks, case, "python", "cpu")
    numpy_scalars = _case_impl(exponential_decay=lambda epoch, lr0, gamma: np.float64(lr0) * gamma**epoch)
    assert execute(numpy_scalars, checks, case, "python", "cpu")["outputs"]["lr"]["kind"] == "ndarray"


def test_stub_and_reference_import_no_torch():
    for path in (paths.reference("lr_schedules"), paths.stub("lr_schedules")):
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
        }
        assert imported == {"math"}, (path, imported)
