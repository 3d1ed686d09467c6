"""`classification_losses`: the reference agrees with F.binary_cross_entropy(_with_logits),
F.cross_entropy(label_smoothing=ε) and torchvision's sigmoid_focal_loss, values and gradients,
at p = 0/1 and at logits of magnitude 1e3 and 1e4 too."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.katas.strategies import reference, seeds, small

ref = reference("classification_losses")

shapes = st.lists(small, min_size=1, max_size=3)
magnitudes = st.sampled_from([1.0, 5.0, 1e3])


def _grads(loss, inputs, upstream):
    return torch.autograd.grad(loss, inputs, upstream)


def _close(actual, expected, scale=1.0):
    torch.testing.assert_close(actual, expected, rtol=1e-10, atol=1e-12 * scale)


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0):
    """torchvision.ops.sigmoid_focal_loss (reduction="mean"), written out: torchvision is not installed."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return loss.mean()


@settings(max_examples=25, deadline=None)
@given(shape=shapes, soft=st.booleans(), boundary=st.booleans(), seed=seeds)
def test_bce_matches_pytorch(shape, soft, boundary, seed):
    g = torch.Generator().manual_seed(seed)
    p = torch.rand(*shape, generator=g, dtype=torch.float64) * 0.98 + 0.01
    if boundary:  # some probabilities exactly 0 or 1
        p = torch.where(torch.rand(*shape, generator=g) < 0.4, torch.randint(0, 2, shape, generator=g).double(), p)
    y = torch.rand(*shape, generator=g, dtype=torch.float64) if soft else torch.randint(0, 2, shape, generator=g).double()
    p.requires_grad_(), y.requires_grad_()
    upstream = torch.randn((), generator=g, dtype=torch.float64)

    mine, theirs = ref.binary_cross_entropy(p, y), F.binary_cross_entropy(p, y)
    _close(mine, theirs, scale=100.0)
    (gp_mine, gy_mine), (gp_theirs, gy_theirs) = _grads(mine, (p, y), upstream), _grads(theirs, (p, y), upstream)
    # At p = 0/1 PyTorch's floor is float32's 1e-12 (9.99999996e-13): a relative 4e-9 from ours.
    torch.testing.assert_close(gp_mine, gp_theirs, rtol=1e-8, atol=1e-12)
    inside = (p > 0) & (p < 1)  # PyTorch's ∂L/∂y is ±inf at p = 0/1 (unclamped logs); ours is finite
    _close(gy_mine[inside], gy_theirs[inside])
    assert torch.isfinite(gy_mine).all()


def test_bce_at_the_clamp_exactly():
    p = torch.tensor([0.0, 0.0, 1.0, 1.0], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0.0, 1.0, 0.0, 1.0], dtype=torch.float64)
    loss = ref.binary_cross_entropy(p, y)
    assert loss.item() == 50.0  # (0 + 100 + 100 + 0) / 4
    (grad,) = torch.autograd.grad(loss, p)
    assert grad.tolist() == [0.0, -0.25e12, 0.25e12, 0.0]  # (p − y)/max(p(1 − p), 1e-12)/n
    torch.testing.assert_close(grad, torch.autograd.grad(F.binary_cross_entropy(p, y), p)[0], rtol=1e-8, atol=0)
    naive = torch.log(p).clamp(min=-100)  # the statement's claim: autograd through the clamp is NaN
    assert torch.isnan(torch.autograd.grad(naive.sum(), p)[0][0])


@settings(max_examples=25, deadline=None)
@given(shape=shapes, magnitude=magnitudes, soft=st.booleans(), zeros=st.booleans(), seed=seeds)
def test_bce_with_logits_matches_pytorch(shape, magnitude, soft, zeros, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(*shape, generator=g, dtype=torch.float64) * magnitude
    if zeros:
        x = torch.where(torch.rand(*shape, generator=g) < 0.5, torch.zeros_like(x), x)
    y = torch.rand(*shape, generator=g, dtype=torch.float64) if soft else torch.randint(0, 2, shape, generator=g).double()
    x.requires_grad_(), y.requires_grad_()
    upstream = torch.randn((), generator=g, dtype=torch.float64)

    mine, theirs = ref.bce_with_logits(x, y), F.binary_cross_entropy_with_logits(x, y)
    _close(mine, theirs, scale=magnitude)
    for a, b in zip(_grads(mine, (x, y), upstream), _grads(theirs, (x, y), upstream)):
        _close(a, b, scale=magnitude)


@settings(max_examples=25, deadline=None)
@given(N=small, C=st.integers(2, 7), magnitude=st.sampled_from([1.0, 30.0, 1e3, 1e4]),
       eps=st.sampled_from([0.0, 0.1, 0.25, 1.0]), seed=seeds)
def test_cross_entropy_matches_pytorch(N, C, magnitude, eps, seed):
    g = torch.Generator().manual_seed(seed)
    z = (torch.randn(N, C, generator=g, dtype=torch.float64) * magnitude).requires_grad_()
    target = torch.randint(0, C, (N,), generator=g)
    upstream = torch.randn((), generator=g, dtype=torch.float64)

    mine, theirs = ref.cross_entropy(z, target, eps), F.cross_entropy(z, target, label_smoothing=eps)
    _close(mine, theirs, scale=magnitude)
    _close(_grads(mine, z, upstream)[0], _grads(theirs, z, upstream)[0], scale=magnitude)


def test_cross_entropy_default_is_no_smoothing():
    z = torch.randn(3, 4, dtype=torch.float64)
    target = torch.tensor([0, 3, 1])
    _close(ref.cross_entropy(z, target), F.cross_entropy(z, target))


@settings(max_examples=25, deadline=None)
@given(shape=shapes, magnitude=st.sampled_from([1.0, 3.0, 50.0, 1e3]),
       alpha=st.sampled_from([0.25, 0.5, 0.75, -1.0]), gamma=st.sampled_from([0.0, 1.0, 2.0, 3.0]), seed=seeds)
def test_focal_loss_matches_torchvision_formula(shape, magnitude, alpha, gamma, seed):
    g = torch.Generator().manual_seed(seed)
    x = (torch.randn(*shape, generator=g, dtype=torch.float64) * magnitude).requires_grad_()
    y = torch.randint(0, 2, shape, generator=g).double()
    upstream = torch.randn((), generator=g, dtype=torch.float64)

    mine, theirs = ref.focal_loss(x, y, alpha, gamma), sigmoid_focal_loss(x, y, alpha, gamma)
    _close(mine, theirs, scale=magnitude)
    _close(_grads(mine, x, upstream)[0], _grads(theirs, x, upstream)[0], scale=magnitude)


def test_focal_loss_defaults_are_torchvisions():
    x = torch.randn(6, dtype=torch.float64)
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.0, 1.0], dtype=torch.float64)
    _close(ref.focal_loss(x, y), sigmoid_focal_loss(x, y, 0.25, 2.0))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_dtype_preserved_and_large_inputs_finite(dtype):
    p = torch.tensor([0.0, 1.0, 0.5], dtype=dtype)
    y = torch.tensor([1.0, 0.0, 1.0], dtype=dtype)
    x = torch.tensor([-1e3, 1e3, 0.0], dtype=dtype)
    z = torch.tensor([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4]], dtype=dtype)
    t = torch.tensor([1, 0])
    for loss in (ref.binary_cross_entropy(p, y), ref.bce_with_logits(x, y), ref.cross_entropy(z, t, 0.1),
                 ref.focal_loss(x, y)):
        assert loss.dtype == dtype and loss.shape == () and torch.isfinite(loss)
    torch.testing.assert_close(ref.cross_entropy(z, t, 0.1), F.cross_entropy(z, t, label_smoothing=0.1))


def test_reference_stays_on_the_meta_device():
    x, y = torch.empty(4, 3, device="meta"), torch.empty(4, 3, device="meta")
    target = torch.empty(4, dtype=torch.long, device="meta")
    for loss in (ref.binary_cross_entropy(x, y), ref.bce_with_logits(x, y), ref.cross_entropy(x, target, 0.1),
                 ref.focal_loss(x, y)):
        assert loss.device.type == "meta" and loss.shape == ()
