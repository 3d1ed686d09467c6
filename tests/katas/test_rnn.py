"""The `rnn` reference agrees with nn.RNNCell, nn.RNN and nn.RNN(bidirectional=True), values and gradients."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.katas.strategies import reference, seeds, small

ref = reference("rnn")


def _params(gen, I, H, bias):
    W_ih = torch.randn(H, I, generator=gen, dtype=torch.float64)
    W_hh = torch.randn(H, H, generator=gen, dtype=torch.float64)
    b_ih = torch.randn(H, generator=gen, dtype=torch.float64) if bias else None
    b_hh = torch.randn(H, generator=gen, dtype=torch.float64) if bias else None
    return tuple(p.requires_grad_() if p is not None else None for p in (W_ih, W_hh, b_ih, b_hh))


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


def _present(*tensors):
    return [t for t in tensors if t is not None]


@settings(max_examples=25, deadline=None)
@given(B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_cell_matches_nn_rnncell(B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x, h = (torch.randn(B, n, generator=gen, dtype=torch.float64, requires_grad=True) for n in (I, H))
    W_ih, W_hh, b_ih, b_hh = _params(gen, I, H, bias)
    cell = torch.nn.RNNCell(I, H, bias=bias, nonlinearity="tanh", dtype=torch.float64)
    _load(cell, W_ih, W_hh, b_ih, b_hh)
    upstream = torch.randn(B, H, generator=gen, dtype=torch.float64)

    h_next = ref.rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh)
    h_want = cell(x, h)
    _assert_close([h_next], [h_want])
    ours = _present(x, h, W_ih, W_hh, b_ih, b_hh)
    _assert_close(_grads(h_next, upstream, ours), _grads(h_want, upstream, [x, h, *cell.parameters()]))


@settings(max_examples=25, deadline=None)
@given(T=small, B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_forward_matches_nn_rnn(T, B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(T, B, I, generator=gen, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(B, H, generator=gen, dtype=torch.float64, requires_grad=True)
    W_ih, W_hh, b_ih, b_hh = _params(gen, I, H, bias)
    rnn = torch.nn.RNN(I, H, bias=bias, dtype=torch.float64)
    _load(rnn, W_ih, W_hh, b_ih, b_hh, suffix="_l0")
    upstream = [torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in ((T, B, H), (B, H))]

    output, h_n = ref.rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh)
    want, h_want = rnn(x, h0[None])  # nn.RNN's state carries a (layers × directions) dimension
    assert output.shape == (T, B, H) and h_n.shape == (B, H)
    _assert_close((output, h_n), (want, h_want[0]))

    ours = _present(x, h0, W_ih, W_hh, b_ih, b_hh)
    _assert_close(_grads((output, h_n), upstream, ours), _grads((want, h_want[0]), upstream, [x, h0, *rnn.parameters()]))


@settings(max_examples=25, deadline=None)
@given(T=small, B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_bidirectional_matches_nn_rnn_bidirectional(T, B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(T, B, I, generator=gen, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(2, B, H, generator=gen, dtype=torch.float64, requires_grad=True)
    params_fwd, params_bwd = _params(gen, I, H, bias), _params(gen, I, H, bias)
    rnn = torch.nn.RNN(I, H, bias=bias, bidirectional=True, dtype=torch.float64)
    _load(rnn, *params_fwd, suffix="_l0")
    _load(rnn, *params_bwd, suffix="_l0_reverse")
    upstream = torch.randn(T, B, 2 * H, generator=gen, dtype=torch.float64)

    output = ref.birnn_forward(x, h0, params_fwd, params_bwd)
    want, h_n = rnn(x, h0)
    assert output.shape == (T, B, 2 * H)
    _assert_close([output], [want])
    # nn.RNN's h_n: the forward direction's last state is output[-1, :, :H], the backward one's output[0, :, H:]
    _assert_close([output[-1, :, :H], output[0, :, H:]], [h_n[0], h_n[1]])

    ours = _present(x, h0, *params_fwd, *params_bwd)
    _assert_close(_grads(output, upstream, ours), _grads(want, upstream, [x, h0, *rnn.parameters()]))


def test_float32_stays_float32_and_saturated_states_are_finite():
    gen = torch.Generator().manual_seed(0)
    x = (torch.randn(3, 2, 8, generator=gen) * 200).requires_grad_()
    h0 = torch.zeros(2, 2, 4)
    params = [tuple(p.detach().float().requires_grad_() for p in _params(gen, 8, 4, bias=True)) for _ in range(2)]
    output = ref.birnn_forward(x, h0, *params)
    assert output.dtype == torch.float32
    assert torch.isfinite(output).all() and output.abs().max() <= 1
    output.sum().backward()
    for p in (x, *params[0], *params[1]):
        assert torch.isfinite(p.grad).all()


@pytest.mark.parametrize("bias", [True, False])
def test_reference_runs_on_meta(bias):
    T, B, I, H = 4, 3, 5, 2
    meta = {"device": "meta", "dtype": torch.float32}
    W_ih, W_hh = torch.empty(H, I, **meta), torch.empty(H, H, **meta)
    b_ih, b_hh = (torch.empty(H, **meta), torch.empty(H, **meta)) if bias else (None, None)
    h = torch.empty(B, H, **meta)

    h_next = ref.rnn_cell(torch.empty(B, I, **meta), h, W_ih, W_hh, b_ih, b_hh)
    assert h_next.device.type == "meta" and h_next.shape == (B, H)

    output, h_n = ref.rnn_forward(torch.empty(T, B, I, **meta), h, W_ih, W_hh, b_ih, b_hh)
    assert {output.device.type, h_n.device.type} == {"meta"}
    assert output.shape == (T, B, H) and h_n.shape == (B, H)

    params = (W_ih, W_hh, b_ih, b_hh)
    output = ref.birnn_forward(torch.empty(T, B, I, **meta), torch.empty(2, B, H, **meta), params, params)
    assert output.device.type == "meta" and output.shape == (T, B, 2 * H)
