"""The `grad_clipping` reference against torch.nn.utils.clip_grad_norm_ / clip_grad_value_, and the kata's checks."""

from __future__ import annotations

import ast
import types

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.grading import forbidden, loaders
from dlprep.katas.catalog import load

from .helpers import assert_passes_every_case, meta_params
from .strategies import reference, rng, seeds, small

KATA = load().get("grad_clipping")
REF = reference("grad_clipping")

shapes = st.lists(st.lists(small, min_size=0, max_size=3).map(tuple), min_size=1, max_size=4)
norm_types = st.sampled_from([2.0, 1.0, float("inf"), 3.0, 0.5])


def _leaves(grads, dtype=torch.float64):
    """Fresh parameters with the given gradients (None = no gradient)."""
    params = []
    for g in grads:
        p = torch.zeros(np.shape(g) if g is not None else (2,), dtype=dtype, requires_grad=True)
        p.grad = None if g is None else torch.tensor(g, dtype=dtype)
        params.append(p)
    return params


def _draw_grads(seed, shapes, size):
    r = rng(seed)
    grads = [None if r.random() < 0.2 else r.standard_normal(shape) * size for shape in shapes]
    return grads if any(g is not None for g in grads) else [r.standard_normal(shapes[0]) * size, *grads[1:]]


def _assert_same_grads(ours, theirs, **tol):
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert (a.grad is None) == (b.grad is None), i
        if a.grad is not None:
            torch.testing.assert_close(a.grad, b.grad, **tol, msg=lambda m: f"grad {i}: {m}")


@settings(max_examples=25, deadline=None)
@given(shapes=shapes, seed=seeds, size=st.sampled_from([1e-4, 1.0, 1e3]), max_norm=st.floats(1e-3, 10.0), norm_type=norm_types)
def test_clip_grad_norm_equals_torch(shapes, seed, size, max_norm, norm_type):
    grads = _draw_grads(seed, shapes, size)
    ours, theirs = _leaves(grads), _leaves(grads)
    total = REF.clip_grad_norm_((p for p in ours), max_norm, norm_type)
    want = torch.nn.utils.clip_grad_norm_((p for p in theirs), max_norm, norm_type)
    torch.testing.assert_close(total, want, rtol=1e-12, atol=0.0)
    _assert_same_grads(ours, theirs, rtol=1e-12, atol=0.0)


@settings(max_examples=25, deadline=None)
@given(shapes=shapes, seed=seeds, clip_value=st.floats(1e-3, 3.0))
def test_clip_grad_value_equals_torch(shapes, seed, clip_value):
    grads = _draw_grads(seed, shapes, 1.0)
    ours, theirs = _leaves(grads), _leaves(grads)
    assert REF.clip_grad_value_(iter(ours), clip_value) is None
    torch.nn.utils.clip_grad_value_(iter(theirs), clip_value)
    _assert_same_grads(ours, theirs, rtol=0.0, atol=0.0)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_at_the_threshold_pytorch_still_shrinks(dtype):
    """norm == max_norm exactly: torch.nn.utils multiplies by max_norm/(max_norm + 1e-6), and so does the reference."""
    scale = 2.0**-13
    grads = [np.array([2.0, 4.0, -4.0]) * scale, np.array([[4.0, -4.0], [4.0, 4.0]]) * scale]  # norms 6 and 8: 10
    ours, theirs = _leaves(grads, dtype), _leaves(grads, dtype)
    total = REF.clip_grad_norm_(ours, 10 * scale)
    torch.nn.utils.clip_grad_norm_(theirs, 10 * scale)
    assert total.item() == 10 * scale and total.dtype == dtype
    _assert_same_grads(ours, theirs, rtol=0.0, atol=0.0)
    factor = ours[0].grad[0].item() / grads[0][0]
    assert factor == pytest.approx(10 * scale / (10 * scale + 1e-6), rel=1e-6) and factor < 1


def test_single_tensor_zero_gradients_and_no_gradients_as_torch():
    p, q = torch.zeros(3, requires_grad=True), torch.zeros(3, requires_grad=True)
    p.grad, q.grad = torch.tensor([3.0, -4.0, 0.0]), torch.tensor([3.0, -4.0, 0.0])
    torch.testing.assert_close(REF.clip_grad_norm_(p, 1.0), torch.nn.utils.clip_grad_norm_(q, 1.0), rtol=0, atol=0)
    torch.testing.assert_close(p.grad, q.grad, rtol=0, atol=0)
    p.grad, q.grad = torch.zeros(3), torch.zeros(3)  # all zero: no 0/0, coefficient clamped to 1
    torch.testing.assert_close(REF.clip_grad_norm_([p], 1.0), torch.nn.utils.clip_grad_norm_([q], 1.0), rtol=0, atol=0)
    assert not p.grad.isnan().any() and (p.grad == 0).all()
    p.grad = q.grad = None
    torch.testing.assert_close(REF.clip_grad_norm_([p], 1.0), torch.nn.utils.clip_grad_norm_([q], 1.0), rtol=0, atol=0)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_reference_runs_on_meta(dtype):
    params = meta_params(dtype)
    for p in params:
        p.grad = torch.empty_like(p)
    for norm_type in (2.0, float("inf")):
        total = REF.clip_grad_norm_(iter(params), 1.0, norm_type)
        assert total.device.type == "meta" and total.dtype == dtype and total.shape == ()
    REF.clip_grad_value_(iter(params), 0.5)
    assert all(p.grad.device.type == "meta" and p.grad.dtype == dtype for p in params)


def test_torch_passes_every_case():
    """What the grader expects (the reference) is what torch.nn.utils does, within the grader's tolerances."""
    impl = types.SimpleNamespace(clip_grad_norm_=torch.nn.utils.clip_grad_norm_, clip_grad_value_=torch.nn.utils.clip_grad_value_)
    assert_passes_every_case(KATA, impl)


def test_cases_cover_what_the_issue_asks():
    cases = loaders.make_cases(KATA)
    norm = [c for c in cases if c.call == "clip_grad_norm_"]
    value = [c for c in cases if c.call == "clip_grad_value_"]
    assert {c.dtype for c in norm} == {c.dtype for c in value} == {"float32", "float64"}
    assert {c.args.get("norm_type", 2.0) for c in norm} >= {1.0, 2.0, float("inf")}
    for group in (norm, value):
        assert any(g is None for c in group for g in c.args["grads"])
        assert any(c.args.get("as_tensor") for c in group)
        assert any(sum(g is not None for g in c.args["grads"]) >= 3 for c in group)

    def exact_norm(case):
        return float(np.sqrt(sum(float((g.astype(np.float64) ** 2).sum()) for g in case.args["grads"] if g is not None)))

    at = [c for c in norm if c.args.get("norm_type", 2.0) == 2.0 and exact_norm(c) == c.args["max_norm"]]
    assert {c.dtype for c in at} == {"float32", "float64"}
    l2 = [exact_norm(c) / c.args["max_norm"] for c in norm if c.args.get("norm_type", 2.0) == 2.0]
    assert min(l2) < 1 < max(l2)  # below and above the threshold


def test_get_total_norm_is_forbidden_too():
    uses = forbidden.scan(ast.parse("from torch.nn.utils import get_total_norm, clip_grads_with_norm_\n"), KATA.forbidden)
    assert uses and uses[0].api.startswith("torch.nn.utils.")
    assert [u.api for u in forbidden.scan(ast.parse("import torch\ntorch.nn.utils.clip_grad_norm_([], 1.0)\n"), KATA.forbidden)] == [
        "torch.nn.utils.clip_grad_norm_"
    ]
