"""`regression_losses`: the reference agrees with F.mse_loss, F.l1_loss and F.huber_loss, values
and gradients for both inputs, at d = 0 and |d| = δ exactly too."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.katas.strategies import reference, seeds, small

ref = reference("regression_losses")

shapes = st.lists(small, min_size=1, max_size=3)
deltas = st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 4.0])


def _inputs(shape, seed, kinks=(), spread=2.0):
    """pred, target; some differences exactly 0 or ±δ (dyadic values: exact in binary)."""
    g = torch.Generator().manual_seed(seed)
    target = torch.randint(-16, 17, shape, generator=g).double() / 8
    pred = target + torch.randn(*shape, generator=g, dtype=torch.float64) * spread
    choice = torch.randint(0, len(kinks) + 2, shape, generator=g)
    for index, d in enumerate(kinks):
        pred = torch.where(choice == index, target + d, pred)
    upstream = torch.randn((), generator=g, dtype=torch.float64)
    return pred.requires_grad_(), target.requires_grad_(), upstream


def _assert_same(mine, theirs, inputs, upstream):
    torch.testing.assert_close(mine, theirs, rtol=1e-12, atol=1e-14)
    for a, b in zip(torch.autograd.grad(mine, inputs, upstream), torch.autograd.grad(theirs, inputs, upstream)):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-14)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=seeds)
def test_mse_matches_pytorch(shape, seed):
    pred, target, upstream = _inputs(shape, seed, kinks=(0.0,))
    _assert_same(ref.mse_loss(pred, target), F.mse_loss(pred, target), (pred, target), upstream)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=seeds)
def test_l1_matches_pytorch_also_at_zero_difference(shape, seed):
    pred, target, upstream = _inputs(shape, seed, kinks=(0.0,))
    _assert_same(ref.l1_loss(pred, target), F.l1_loss(pred, target), (pred, target), upstream)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, delta=deltas, seed=seeds)
def test_huber_matches_pytorch_also_at_the_kinks(shape, delta, seed):
    pred, target, upstream = _inputs(shape, seed, kinks=(0.0, delta, -delta), spread=2 * delta)
    mine, theirs = ref.huber_loss(pred, target, delta), F.huber_loss(pred, target, delta=delta)
    _assert_same(mine, theirs, (pred, target), upstream)


def test_huber_default_delta_and_smooth_l1_relation():
    pred, target, _ = _inputs((4, 5), 7, spread=3.0)
    torch.testing.assert_close(ref.huber_loss(pred, target), F.huber_loss(pred, target))
    # The statement's claim: smooth L1 with beta = δ is Huber / δ, so they differ unless δ = 1.
    torch.testing.assert_close(ref.huber_loss(pred, target, 2.0) / 2.0, F.smooth_l1_loss(pred, target, beta=2.0))


def test_l1_gradient_at_zero_is_zero_and_sqrt_form_is_nan():
    pred = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    target = torch.tensor([1.0, 0.0], dtype=torch.float64)
    (grad,) = torch.autograd.grad(ref.l1_loss(pred, target), pred)
    assert grad.tolist() == [0.0, 0.5]
    (naive,) = torch.autograd.grad(torch.sqrt((pred - target) ** 2).mean(), pred)
    assert torch.isnan(naive[0])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_dtype_preserved(dtype):
    pred, target = torch.randn(3, 4, dtype=dtype), torch.randn(3, 4, dtype=dtype)
    for mine, theirs in ((ref.mse_loss, F.mse_loss), (ref.l1_loss, F.l1_loss)):
        got = mine(pred, target)
        assert got.dtype == dtype and got.shape == ()
        torch.testing.assert_close(got, theirs(pred, target))
    got = ref.huber_loss(pred, target, 0.5)
    assert got.dtype == dtype
    torch.testing.assert_close(got, F.huber_loss(pred, target, delta=0.5))


def test_reference_stays_on_the_meta_device():
    pred, target = torch.empty(2, 3, device="meta"), torch.empty(2, 3, device="meta")
    for loss in (ref.mse_loss(pred, target), ref.l1_loss(pred, target), ref.huber_loss(pred, target, 2.0)):
        assert loss.device.type == "meta" and loss.shape == ()
