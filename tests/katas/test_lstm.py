"""The `lstm` reference agrees with nn.LSTMCell and nn.LSTM, values and gradients; every form of a known
mistake is named as it, and a fault no mistake describes is located by the probes."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders
from dlprep.katas.catalog import load
from tests.katas.helpers import assert_all_close, assert_localised_at, assert_predicate_fires_on_large_cases_alone, grads, load_recurrent, meta_recurrent_params, recurrent_params
from tests.katas.strategies import reference, seeds, small

ref = reference("lstm")
_params = partial(recurrent_params, gates=4)


@settings(max_examples=25, deadline=None)
@given(B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_cell_matches_nn_lstmcell(B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x, h, c = (torch.randn(B, n, generator=gen, dtype=torch.float64, requires_grad=True) for n in (I, H, H))
    W_ih, W_hh, b_ih, b_hh = _params(gen, I, H, bias, requires_grad=True)
    cell = torch.nn.LSTMCell(I, H, bias=bias, dtype=torch.float64)
    load_recurrent(cell, W_ih, W_hh, b_ih, b_hh)
    upstream = [torch.randn(B, H, generator=gen, dtype=torch.float64) for _ in range(2)]

    h_next, c_next = ref.lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh)
    h_want, c_want = cell(x, (h, c))
    assert_all_close((h_next, c_next), (h_want, c_want))

    ours = [p for p in (x, h, c, W_ih, W_hh, b_ih, b_hh) if p is not None]
    theirs = [x, h, c, *cell.parameters()]
    assert_all_close(grads((h_next, c_next), upstream, ours), grads((h_want, c_want), upstream, theirs))


@settings(max_examples=25, deadline=None)
@given(T=small, B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_forward_matches_nn_lstm(T, B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(T, B, I, generator=gen, dtype=torch.float64, requires_grad=True)
    h0, c0 = (torch.randn(B, H, generator=gen, dtype=torch.float64, requires_grad=True) for _ in range(2))
    W_ih, W_hh, b_ih, b_hh = _params(gen, I, H, bias, requires_grad=True)
    lstm = torch.nn.LSTM(I, H, bias=bias, dtype=torch.float64)
    load_recurrent(lstm, W_ih, W_hh, b_ih, b_hh, suffix="_l0")
    upstream = [torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in ((T, B, H), (B, H), (B, H))]

    output, (h_n, c_n) = ref.lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh)
    want, (h_want, c_want) = lstm(x, (h0[None], c0[None]))  # nn.LSTM's states carry a layer dimension
    assert output.shape == (T, B, H) and h_n.shape == c_n.shape == (B, H)
    assert_all_close((output, h_n, c_n), (want, h_want[0], c_want[0]))

    ours = [p for p in (x, h0, c0, W_ih, W_hh, b_ih, b_hh) if p is not None]
    theirs = [x, h0, c0, *lstm.parameters()]
    assert_all_close(
        grads((output, h_n, c_n), upstream, ours),
        grads((want, h_want[0], c_want[0]), upstream, theirs),
    )


@settings(max_examples=25, deadline=None)
@given(B=small, I=small, H=small, seed=seeds)
def test_guide_concatenated_form_equals_split_form(B, I, H, seed):
    """The statement's claim: W[hₜ₋₁, xₜ] + b with W = [W_hh | W_ih], b = b_ih + b_hh."""
    gen = torch.Generator().manual_seed(seed)
    x, h, c = (torch.randn(B, n, generator=gen, dtype=torch.float64) for n in (I, H, H))
    W_ih, W_hh, b_ih, b_hh = _params(gen, I, H, bias=True)
    pre = torch.cat([h, x], dim=1) @ torch.cat([W_hh, W_ih], dim=1).T + (b_ih + b_hh)
    f, i, g, o = (pre[:, k * H:(k + 1) * H] for k in (1, 0, 2, 3))  # the guide's f, i, C̃, o
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    h_next = torch.sigmoid(o) * torch.tanh(c_next)
    assert_all_close(ref.lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh), (h_next, c_next))


def test_float32_stays_float32_and_saturated_gates_are_finite():
    gen = torch.Generator().manual_seed(0)
    x = (torch.randn(3, 2, 8, generator=gen) * 200).requires_grad_()
    h0, c0 = torch.zeros(2, 4), torch.zeros(2, 4)
    W_ih, W_hh, b_ih, b_hh = (p.float().requires_grad_() for p in _params(gen, 8, 4, bias=True))
    output, (h_n, c_n) = ref.lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh)
    assert {output.dtype, h_n.dtype, c_n.dtype} == {torch.float32}
    (output.sum() + c_n.sum()).backward()
    for p in (x, W_ih, W_hh, b_ih, b_hh):
        assert torch.isfinite(p.grad).all()


@pytest.mark.parametrize("bias", [True, False])
def test_reference_runs_on_meta(bias):
    T, B, I, H = 4, 3, 5, 2
    meta = {"device": "meta", "dtype": torch.float32}
    W_ih, W_hh, b_ih, b_hh = meta_recurrent_params(I, H, bias, gates=4)
    h, c = torch.empty(B, H, **meta), torch.empty(B, H, **meta)

    h_next, c_next = ref.lstm_cell(torch.empty(B, I, **meta), h, c, W_ih, W_hh, b_ih, b_hh)
    assert h_next.device.type == c_next.device.type == "meta"
    assert h_next.shape == c_next.shape == (B, H)

    output, (h_n, c_n) = ref.lstm_forward(torch.empty(T, B, I, **meta), h, c, W_ih, W_hh, b_ih, b_hh)
    assert {output.device.type, h_n.device.type, c_n.device.type} == {"meta"}
    assert output.shape == (T, B, H) and h_n.shape == c_n.shape == (B, H)


KATA = load().get("lstm")
MISTAKES = loaders.mistakes(KATA)


def test_overflow_is_told_by_non_finite_outputs_on_the_large_cases_alone():
    assert_predicate_fires_on_large_cases_alone(KATA, "unstable-sigmoid", np.nan)


def _cell_with(**scales):
    """The reference cell with some of its inputs scaled: a fault no known mistake describes."""

    def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
        given = {"x": x, "h": h, "c": c, "W_ih": W_ih, "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh}
        return ref.lstm_cell(**{name: value if value is None else scales.get(name, 1.0) * value for name, value in given.items()})

    return {"lstm_cell": lstm_cell}


def _forward_resetting_the_cell_after_step_one(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    h, c, outputs = h0, c0, []
    for t, x_t in enumerate(x):
        h, c = ref.lstm_cell(x_t, h, c if t == 0 else torch.zeros_like(c), W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs), (h, c)


@pytest.mark.parametrize("fault, probe", [
    (_cell_with(x=1.5), "probe: one unit, zero states, no biases"),
    (_cell_with(h=0.5), "probe: nonzero states, no biases"),
    (_cell_with(c=0.5), "probe: nonzero states, no biases"),
    (_cell_with(b_ih=2.0), "probe: b_ih alone"),
    (_cell_with(b_hh=2.0), "probe: b_hh alone"),
    ({"lstm_forward": _forward_resetting_the_cell_after_step_one}, "probe: sequence, T = 2"),
], ids=["x", "h", "c", "b_ih", "b_hh", "carry"])
def test_an_unknown_fault_is_located_by_the_first_probe_it_fails(fault, probe):
    assert_localised_at(KATA, loaders.variant_impl(KATA, fault), probe)
