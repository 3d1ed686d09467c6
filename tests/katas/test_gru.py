"""The `gru` reference agrees with nn.GRUCell and nn.GRU, values and gradients; the statement's
claims about the guide's form hold; every form of a known mistake is named as it, and a fault no
mistake describes is located by the probes."""

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

ref = reference("gru")
_params = partial(recurrent_params, gates=3)


@settings(max_examples=25, deadline=None)
@given(B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_cell_matches_nn_grucell(B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x, h = (torch.randn(B, n, generator=gen, dtype=torch.float64, requires_grad=True) for n in (I, H))
    W_ih, W_hh, b_ih, b_hh = _params(gen, I, H, bias, requires_grad=True)
    cell = torch.nn.GRUCell(I, H, bias=bias, dtype=torch.float64)
    load_recurrent(cell, W_ih, W_hh, b_ih, b_hh)
    upstream = torch.randn(B, H, generator=gen, dtype=torch.float64)

    h_next = ref.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh)
    h_want = cell(x, h)
    assert_all_close([h_next], [h_want])

    ours = [p for p in (x, h, W_ih, W_hh, b_ih, b_hh) if p is not None]
    assert_all_close(grads(h_next, upstream, ours), grads(h_want, upstream, [x, h, *cell.parameters()]))


@settings(max_examples=25, deadline=None)
@given(T=small, B=small, I=small, H=small, bias=st.booleans(), seed=seeds)
def test_forward_matches_nn_gru(T, B, I, H, bias, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(T, B, I, generator=gen, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(B, H, generator=gen, dtype=torch.float64, requires_grad=True)
    W_ih, W_hh, b_ih, b_hh = _params(gen, I, H, bias, requires_grad=True)
    gru = torch.nn.GRU(I, H, bias=bias, dtype=torch.float64)
    load_recurrent(gru, W_ih, W_hh, b_ih, b_hh, suffix="_l0")
    upstream = [torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in ((T, B, H), (B, H))]

    output, h_n = ref.gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh)
    want, h_want = gru(x, h0[None])  # nn.GRU's state carries a layer dimension
    assert output.shape == (T, B, H) and h_n.shape == (B, H)
    assert_all_close((output, h_n), (want, h_want[0]))

    ours = [p for p in (x, h0, W_ih, W_hh, b_ih, b_hh) if p is not None]
    assert_all_close(grads((output, h_n), upstream, ours), grads((want, h_want[0]), upstream, [x, h0, *gru.parameters()]))


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
    assert_all_close([_guide_cell(x, h, *_negate_update_block(params, H), reset_before_matmul=False)], [want])


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
    W_ih, W_hh, b_ih, b_hh = meta_recurrent_params(I, H, bias, gates=3)
    h = torch.empty(B, H, **meta)

    h_next = ref.gru_cell(torch.empty(B, I, **meta), h, W_ih, W_hh, b_ih, b_hh)
    assert h_next.device.type == "meta" and h_next.shape == (B, H)

    output, h_n = ref.gru_forward(torch.empty(T, B, I, **meta), h, W_ih, W_hh, b_ih, b_hh)
    assert {output.device.type, h_n.device.type} == {"meta"}
    assert output.shape == (T, B, H) and h_n.shape == (B, H)


KATA = load().get("gru")
MISTAKES = loaders.mistakes(KATA)


def test_overflow_is_told_by_non_finite_outputs_on_the_large_cases_alone():
    assert_predicate_fires_on_large_cases_alone(KATA, "unstable-sigmoid", np.inf)


def _cell_with(**scales):
    """The reference cell with some of its inputs scaled: a fault no known mistake describes."""

    def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
        given = {"x": x, "h": h, "W_ih": W_ih, "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh}
        return ref.gru_cell(**{name: value if value is None else scales.get(name, 1.0) * value for name, value in given.items()})

    return {"gru_cell": gru_cell}


def _forward_halving_the_state_after_step_one(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h, outputs = h0, []
    for t, x_t in enumerate(x):
        h = ref.gru_cell(x_t, h if t == 0 else h / 2, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs), h


@pytest.mark.parametrize("fault, probe", [
    (_cell_with(x=1.5), "probe: one unit, zero state, no biases"),
    (_cell_with(W_ih=0.5), "probe: one unit, zero state, no biases"),
    (_cell_with(h=0.5), "probe: nonzero state, no biases"),
    (_cell_with(b_ih=2.0), "probe: b_ih alone"),
    (_cell_with(b_hh=2.0), "probe: b_hh alone"),
    ({"gru_forward": _forward_halving_the_state_after_step_one}, "probe: sequence, T = 2"),
], ids=["x", "W_ih", "h", "b_ih", "b_hh", "carry"])
def test_an_unknown_fault_is_located_by_the_first_probe_it_fails(fault, probe):
    assert_localised_at(KATA, loaders.variant_impl(KATA, fault), probe)
