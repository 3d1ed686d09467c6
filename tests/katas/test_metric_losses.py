"""`metric_losses`: the reference agrees with F.triplet_margin_loss (eps included, also where an
anchor equals its positive) and with NT-Xent written from F.cross_entropy over the masked
2N × 2N similarity matrix, values and gradients."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.katas.strategies import reference, seeds, small

ref = reference("metric_losses")


def nt_xent(z_i, z_j, temperature):
    """SimCLR's NT-Xent, straightforwardly: cross-entropy over the 2N × 2N cosine similarities."""
    n = z_i.shape[0]
    z = torch.cat([z_i, z_j])
    sim = F.cosine_similarity(z[:, None, :], z[None, :, :], dim=-1) / temperature
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])  # each view's other view
    return F.cross_entropy(sim, targets)


def _assert_same(mine, theirs, inputs, upstream):
    torch.testing.assert_close(mine, theirs, rtol=1e-10, atol=1e-12)
    for a, b in zip(torch.autograd.grad(mine, inputs, upstream), torch.autograd.grad(theirs, inputs, upstream)):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11)


@settings(max_examples=25, deadline=None)
@given(N=small, D=small, margin=st.sampled_from([0.05, 0.3, 1.0, 2.0]), coincide=st.booleans(), seed=seeds)
def test_triplet_matches_pytorch(N, D, margin, coincide, seed):
    g = torch.Generator().manual_seed(seed)
    anchor = torch.randn(N, D, generator=g, dtype=torch.float64)
    positive = anchor + torch.randn(N, D, generator=g, dtype=torch.float64) * 0.7
    if coincide:  # some positives exactly equal to their anchors
        positive = torch.where(torch.rand(N, 1, generator=g) < 0.5, anchor, positive)
    negative = anchor + torch.randn(N, D, generator=g, dtype=torch.float64) * torch.rand(N, 1, generator=g) * 2
    inputs = tuple(t.clone().requires_grad_() for t in (anchor, positive, negative))
    upstream = torch.randn((), generator=g, dtype=torch.float64)

    mine = ref.triplet_loss(*inputs, margin=margin)
    theirs = F.triplet_margin_loss(*inputs, margin=margin)
    _assert_same(mine, theirs, inputs, upstream)


def test_triplet_eps_where_anchor_equals_positive():
    """The statement's claims: distance eps·√D, gradient 1/√D per component, and eps shifts
    ordinary distances visibly in float64."""
    anchor = torch.tensor([[0.5, -1.0, 2.0, 0.0]], dtype=torch.float64, requires_grad=True)
    negative = anchor.detach() + 0.1
    loss = ref.triplet_loss(anchor, anchor.detach().clone(), negative, margin=1.0)
    expected = 1e-6 * 2 - torch.linalg.vector_norm(anchor.detach() - negative + 1e-6) + 1.0
    torch.testing.assert_close(loss, expected, rtol=1e-12, atol=0)
    positive = anchor.detach().clone().requires_grad_()
    (grad_p,) = torch.autograd.grad(ref.triplet_loss(anchor.detach(), positive, negative), positive)
    torch.testing.assert_close(grad_p, torch.full_like(grad_p, -0.5))  # −(a − p + eps)/‖…‖ = −1/√4
    x, y = torch.randn(8, 5, dtype=torch.float64), torch.randn(8, 5, dtype=torch.float64)
    shift = F.pairwise_distance(x, y) - torch.linalg.vector_norm(x - y, dim=-1)
    assert (shift.abs() > 1e-7 * torch.linalg.vector_norm(x - y, dim=-1)).any()
    # Without eps: the norm's gradient at 0 is 0, the written-out √ gives NaN.
    d = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.grad(torch.linalg.vector_norm(d), d)[0].eq(0).all()
    assert torch.autograd.grad((d**2).sum().sqrt(), d)[0].isnan().all()


@settings(max_examples=25, deadline=None)
@given(N=small, D=st.integers(2, 6), temperature=st.sampled_from([0.05, 0.1, 0.5, 1.0]),
       log_scale=st.floats(-2, 2), seed=seeds)
def test_info_nce_matches_nt_xent(N, D, temperature, log_scale, seed):
    g = torch.Generator().manual_seed(seed)
    base = torch.randn(N, D, generator=g, dtype=torch.float64)
    z_i = (base + 0.5 * torch.randn(N, D, generator=g, dtype=torch.float64)) * 10**log_scale
    z_j = base + 0.5 * torch.randn(N, D, generator=g, dtype=torch.float64)
    z_i.requires_grad_(), z_j.requires_grad_()
    upstream = torch.randn((), generator=g, dtype=torch.float64)

    _assert_same(ref.info_nce(z_i, z_j, temperature), nt_xent(z_i, z_j, temperature), (z_i, z_j), upstream)


def test_info_nce_default_temperature_and_batch_of_one():
    z_i, z_j = torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 3, dtype=torch.float64)
    torch.testing.assert_close(ref.info_nce(z_i, z_j), nt_xent(z_i, z_j, 0.5))
    assert ref.info_nce(z_i[:1], z_j[:1]).item() == 0.0  # only the positive is left


def test_info_nce_float32_small_temperature_is_finite():
    g = torch.Generator().manual_seed(3)
    base = torch.randn(4, 8, generator=g)
    z_i, z_j = base + 0.01 * torch.randn(4, 8, generator=g), base + 0.01 * torch.randn(4, 8, generator=g)
    loss = ref.info_nce(z_i, z_j, 0.01)
    assert loss.dtype == torch.float32 and torch.isfinite(loss)
    torch.testing.assert_close(loss, nt_xent(z_i.double(), z_j.double(), 0.01).float(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_triplet_dtype_preserved(dtype):
    a, p, n = (torch.randn(3, 4, dtype=dtype) for _ in range(3))
    got = ref.triplet_loss(a, p, n, margin=0.5)
    assert got.dtype == dtype and got.shape == ()
    torch.testing.assert_close(got, F.triplet_margin_loss(a, p, n, margin=0.5))


def test_reference_stays_on_the_meta_device():
    a, p, n = (torch.empty(3, 4, device="meta") for _ in range(3))
    for loss in (ref.triplet_loss(a, p, n), ref.info_nce(a, p, 0.1)):
        assert loss.device.type == "meta" and loss.shape == ()
