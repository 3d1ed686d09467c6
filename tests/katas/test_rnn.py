"""The `rnn` reference agrees with nn.RNNCell, nn.RNN and nn.RNN(bidirectional=True), values and gradients."""

from __future__ import annotations

from functools import partial

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.katas.helpers import assert_all_close, grads, load_recurrent, meta_recurrent_params, recurrent_params
from tests.katas.strategies import reference, seeds, small

ref = reference("rnn")
_params = partial(recurrent_params, gates=1, requires_grad=True)


def _present(*tensors):
    return [t for t in tensors if t is not None]


@settings(max_examples=25, deadline=None)
@given(B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_cell_matches_nn_rnncell(B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x, h = (torch.randn(B, n, generator=gen, dtype=torch.float64, requires_grad=True) for n in (I, H))
    W_ih, W_hh, b_ih, b_hh = _params(gen, I, H, bias)
    cell = torch.nn.RNNCell(I, H, bias=bias, nonlinearity="tanh", dtype=torch.float64)
    load_recurrent(cell, W_ih, W_hh, b_ih, b_hh)
    upstream = torch.randn(B, H, generator=gen, dtype=torch.float64)

    h_next = ref.rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh)
    h_want = cell(x, h)
    assert_all_close([h_next], [h_want])
    ours = _present(x, h, W_ih, W_hh, b_ih, b_hh)
    assert_all_close(grads(h_next, upstream, ours), grads(h_want, upstream, [x, h, *cell.parameters()]))


@settings(max_examples=25, deadline=None)
@given(T=small, B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_forward_matches_nn_rnn(T, B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(T, B, I, generator=gen, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(B, H, generator=gen, dtype=torch.float64, requires_grad=True)
    W_ih, W_hh, b_ih, b_hh = _params(gen, I, H, bias)
    rnn = torch.nn.RNN(I, H, bias=bias, dtype=torch.float64)
    load_recurrent(rnn, W_ih, W_hh, b_ih, b_hh, suffix="_l0")
    upstream = [torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in ((T, B, H), (B, H))]

    output, h_n = ref.rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh)
    want, h_want = rnn(x, h0[None])  # nn.RNN's state carries a (layers × directions) dimension
    assert output.shape == (T, B, H) and h_n.shape == (B, H)
    assert_all_close((output, h_n), (want, h_want[0]))

    ours = _present(x, h0, W_ih, W_hh, b_ih, b_hh)
    assert_all_close(grads((output, h_n), upstream, ours), grads((want, h_want[0]), upstream, [x, h0, *rnn.parameters()]))


@settings(max_examples=25, deadline=None)
@given(T=small, B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_bidirectional_matches_nn_rnn_bidirectional(T, B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(T, B, I, generator=gen, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(2, B, H, generator=gen, dtype=torch.float64, requires_grad=True)
    params_fwd, params_bwd = _params(gen, I, H, bias), _params(gen, I, H, bias)
    rnn = torch.nn.RNN(I, H, bias=bias, bidirectional=True, dtype=torch.float64)
    load_recurrent(rnn, *params_fwd, suffix="_l0")
    load_recurrent(rnn, *params_bwd, suffix="_l0_reverse")
    upstream = torch.randn(T, B, 2 * H, generator=gen, dtype=torch.float64)

    output = ref.birnn_forward(x, h0, params_fwd, params_bwd)
    want, h_n = rnn(x, h0)
    assert output.shape == (T, B, 2 * H)
    assert_all_close([output], [want])
    # nn.RNN's h_n: the forward direction's last state is output[-1, :, :H], the backward one's output[0, :, H:]
    assert_all_close([output[-1, :, :H], output[0, :, H:]], [h_n[0], h_n[1]])

    ours = _present(x, h0, *params_fwd, *params_bwd)
    assert_all_close(grads(output, upstream, ours), grads(want, upstream, [x, h0, *rnn.parameters()]))


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
    W_ih, W_hh, b_ih, b_hh = meta_recurrent_params(I, H, bias, gates=1)
    h = torch.empty(B, H, **meta)

    h_next = ref.rnn_cell(torch.empty(B, I, **meta), h, W_ih, W_hh, b_ih, b_hh)
    assert h_next.device.type == "meta" and h_next.shape == (B, H)

    output, h_n = ref.rnn_forward(torch.empty(T, B, I, **meta), h, W_ih, W_hh, b_ih, b_hh)
    assert {output.device.type, h_n.device.type} == {"meta"}
    assert output.shape == (T, B, H) and h_n.shape == (B, H)

    params = (W_ih, W_hh, b_ih, b_hh)
    output = ref.birnn_forward(torch.empty(T, B, I, **meta), torch.empty(2, B, H, **meta), params, params)
    assert output.device.type == "meta" and output.shape == (T, B, 2 * H)
