"""The `gru` reference agrees with nn.GRUCell and nn.GRU, values and gradients; the statement's
claims about the guide's form hold."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.katas.strategies import reference, seeds, small

ref = reference("gru")


def _params(gen, I, H, bias):
    W_ih = torch.randn(3 * H, I, generator=gen, dtype=torch.float64)
    W_hh = torch.randn(3 * H, H, generator=gen, dtype=torch.float64)
    b_ih = torch.randn(3 * H, generator=gen, dtype=torch.float64) if bias else None
    b_hh = torch.randn(3 * H, generator=gen, dtype=torch.float64) if bias else None
    return W_ih, W_hh, b_ih, b_hh


def _load(module, W_ih, W_hh, b_ih, b_hh, suffix=""):
    with torch.no_grad():
        getattr(module, "weight_ih" + suffix).copy_(W_ih)
        getattr(module, "weight_hh" + suffix).copy_(W_hh)
        if b_ih is not None:
            getattr(module, "bias_ih" + suffix).copy_(b_ih)
            getattr(module, "bias_hh" + suffix).copy_(b_hh)


def _grads(outputs, upstream, inputs):
    return torch.autograd.grad(outputs, inputs, upstream)


def _assert_close(actual, expected):
    for a, e in zip(actual, expected, strict=True):
        torch.testing.assert_close(a, e, rtol=1e-10, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_cell_matches_nn_grucell(B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x, h = (torch.randn(B, n, generator=gen, dtype=torch.float64, requires_grad=True) for n in (I, H))
    W_ih, W_hh, b_ih, b_hh = (p.requires_grad_() if p is not None else None for p in _params(gen, I, H, bias))
    cell = torch.nn.GRUCell(I, H, bias=bias, dtype=torch.float64)
    _load(cell, W_ih, W_hh, b_ih, b_hh)
    upstream = torch.randn(B, H, generator=gen, dtype=torch.float64)

    h_next = ref.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh)
    h_want = cell(x, h)
    _assert_close([h_next], [h_want])

    ours = [p for p in (x, h, W_ih, W_hh, b_ih, b_hh) if p is not None]
    _assert_close(_grads(h_next, upstream, ours), _grads(h_want, upstream, [x, h, *cell.parameters()]))


@settings(max_examples=25, deadline=None)
@given(T=small, B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_forward_matches_nn_gru(T, B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(T, B, I, generator=gen, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(B, H, generator=gen, dtype=torch.float64, requires_grad=True)
    W_ih, W_hh, b_ih, b_hh = (p.requires_grad_() if p is not None else None for p in _params(gen, I, H, bias))
    gru = torch.nn.GRU(I, H, bias=bias, dtype=torch.float64)
    _load(gru, W_ih, W_hh, b_ih, b_hh, suffix="_l0")
    upstream = [torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in ((T, B, H), (B, H))]

    output, h_n = ref.gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh)
    want, h_want = gru(x, h0[None])  # nn.GRU's state carries a layer dimension
    assert output.shape == (T, B, H) and h_n.shape == (B, H)
    _assert_close((output, h_n), (want, h_want[0]))

    ours = [p for p in (x, h0, W_ih, W_hh, b_ih, b_hh) if p is not None]
    _assert_close(_grads((output, h_n), upstream, ours), _grads((want, h_want[0]), upstream, [x, h0, *gru.parameters()]))


def _guide_cell(x, h, W_ih, W_hh, b_ih, b_hh, *, reset_before_matmul):
    """The guide's update convention hₜ = (1 − zₜ) ⊙ hₜ₋₁ + zₜ ⊙ h̃ₜ, with r before or after W_hn."""
    H = h.shape[1]
    W_ir, W_iz, W_in = W_ih.split(H)
    W_hr, W_hz, W_hn = W_hh.split(H)
    b_ir, b_iz, b_in = b_ih.split(H)
    b_hr, b_hz, b_hn = b_hh.split(H)
    r = torch.sigmoid(x @ W_ir.T + b_ir + h @ W_hr.T + b_hr)
    z = torch.sigmoid(x @ W_iz.T + b_iz + h @ W_hz.T + b_hz)
    hidden = (r * h) @ W_hn.T + b_hn if reset_before_matmul else r * (h @ W_hn.T + b_hn)
    candidate = torch.tanh(x @ W_in.T + b_in + hidden)
    return (1 - z) * h + z * candidate


def _negate_update_block(params, H):
    """The guide's z from PyTorch's: σ(−a) = 1 − σ(a), so negate the z rows of every weight and bias."""
    sign = torch.ones(3 * H, dtype=torch.float64)
    sign[H:2 * H] = -1
    return [None if p is None else p * (sign[:, None] if p.ndim == 2 else sign) for p in params]


@settings(max_examples=25, deadline=None)
@given(B=small, I=small, H=small, seed=seeds)
def test_guide_update_gate_is_pytorch_gate_with_negated_weights(B, I, H, seed):
    """The statement's claim: the guide's z is PyTorch's 1 − z; negate the z block and the numbers agree."""
    gen = torch.Generator().manual_seed(seed)
    x, h = (torch.randn(B, n, generator=gen, dtype=torch.float64) for n in (I, H))
    params = _params(gen, I, H, bias=True)
    want = ref.gru_cell(x, h, *params)
    _assert_close([_guide_cell(x, h, *_negate_update_block(params, H), reset_before_matmul=False)], [want])


def test_guide_update_convention_differs_with_the_same_weights():
    gen = torch.Generator().manual_seed(1)
    x, h = torch.randn(4, 3, generator=gen, dtype=torch.float64), torch.randn(4, 5, generator=gen, dtype=torch.float64)
    params = _params(gen, 3, 5, bias=True)
    difference = _guide_cell(x, h, *params, reset_before_matmul=False) - ref.gru_cell(x, h, *params)
    assert difference.abs().max() > 1e-2


@pytest.mark.parametrize("H, differs", [(1, False), (2, True), (5, True)])
def test_reset_before_matmul_is_a_different_function_even_without_biases(H, differs):
    """The statement's claim: W_hn (r ⊙ h) ≠ r ⊙ (W_hn h) in general; they agree only for H = 1 without b_hn."""
    gen = torch.Generator().manual_seed(H)
    x, h = torch.randn(4, 3, generator=gen, dtype=torch.float64), torch.randn(4, H, generator=gen, dtype=torch.float64)
    W_ih, W_hh, _, _ = _params(gen, 3, H, bias=False)
    zero = torch.zeros(3 * H, dtype=torch.float64)
    # Same update convention on both sides, so that only where r is applied differs.
    guide_W_ih, guide_W_hh = _negate_update_block((W_ih, W_hh), H)
    guide = _guide_cell(x, h, guide_W_ih, guide_W_hh, zero, zero, reset_before_matmul=True)
    pytorch = ref.gru_cell(x, h, W_ih, W_hh)
    gap = (guide - pytorch).abs().max().item()
    assert gap > 1e-3 if differs else gap < 1e-12


def test_float32_stays_float32_and_saturated_gates_are_finite():
    gen = torch.Generator().manual_seed(0)
    x = (torch.randn(3, 2, 8, generator=gen) * 200).requires_grad_()
    h0 = torch.zeros(2, 4)
    W_ih, W_hh, b_ih, b_hh = (p.float().requires_grad_() for p in _params(gen, 8, 4, bias=True))
    output, h_n = ref.gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh)
    assert output.dtype == h_n.dtype == torch.float32
    (output.sum() + h_n.sum()).backward()
    for p in (x, W_ih, W_hh, b_ih, b_hh):
        assert torch.isfinite(p.grad).all()


@pytest.mark.parametrize("bias", [True, False])
def test_reference_runs_on_meta(bias):
    T, B, I, H = 4, 3, 5, 2
    meta = {"device": "meta", "dtype": torch.float32}
    W_ih, W_hh = torch.empty(3 * H, I, **meta), torch.empty(3 * H, H, **meta)
    b_ih, b_hh = (torch.empty(3 * H, **meta), torch.empty(3 * H, **meta)) if bias else (None, None)
    h = torch.empty(B, H, **meta)

    h_next = ref.gru_cell(torch.empty(B, I, **meta), h, W_ih, W_hh, b_ih, b_hh)
    assert h_next.device.type == "meta" and h_next.shape == (B, H)

    output, h_n = ref.gru_forward(torch.empty(T, B, I, **meta), h, W_ih, W_hh, b_ih, b_hh)
    assert {output.device.type, h_n.device.type} == {"meta"}
    assert output.shape == (T, B, H) and h_n.shape == (B, H)
