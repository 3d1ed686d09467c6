"""The positional_encoding reference agrees with the formula, written out element by element,
and with values of the original transformer's formula at hand-picked positions."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.katas.strategies import reference

ref = reference("positional_encoding")


def _formula(max_len, d_model):
    """PE(pos, 2i) = sin(pos/10000^(2i/d)), PE(pos, 2i+1) = cos(pos/10000^(2i/d)), one entry at a time."""
    rows = []
    for pos in range(max_len):
        row = []
        for j in range(d_model):
            two_i = j - j % 2  # the even column of j's (sin, cos) pair
            angle = pos / 10000 ** (two_i / d_model)
            row.append(math.sin(angle) if j % 2 == 0 else math.cos(angle))
        rows.append(row)
    return torch.tensor(rows, dtype=torch.float64).reshape(max_len, d_model)


@settings(max_examples=25, deadline=None)
@given(max_len=st.integers(1, 60), d_model=st.integers(1, 40))
def test_matches_the_formula_entry_by_entry(max_len, d_model):
    pe = ref.sinusoidal_encoding(max_len, d_model, dtype=torch.float64)
    assert pe.shape == (max_len, d_model) and pe.dtype == torch.float64
    torch.testing.assert_close(pe, _formula(max_len, d_model), rtol=0, atol=1e-13)


# (pos, column, d_model, value): the formula evaluated by hand (30 significant digits with mpmath).
GOLDEN = [
    (0, 0, 4, 0.0),  # sin(0)
    (0, 1, 4, 1.0),  # cos(0)
    (0, 3, 4, 1.0),
    (1, 0, 4, 0.84147098480789650665),  # sin(1)
    (1, 1, 4, 0.54030230586813971740),  # cos(1)
    (1, 2, 4, 0.0099998333341666646825),  # sin(1/100): 10000^(2/4) = 100
    (1, 3, 4, 0.99995000041666527778),  # cos(1/100)
    (2, 2, 4, 0.019998666693333079366),  # sin(2/100)
    (2, 3, 4, 0.99980000666657777841),  # cos(2/100)
    (3, 2, 6, 0.13879810108005052857),  # sin(3/10000^(1/3))
    (3, 3, 6, 0.99032069913567497657),
    (3, 4, 6, 0.0064632590701896432457),  # sin(3/10000^(2/3))
    (3, 5, 6, 0.99997911292296081203),
    (1, 4, 5, 0.00063095730261542022427),  # odd d: the last column is sin(1/10000^(4/5))
    (100, 256, 512, 0.84147098480789650665),  # the paper's d = 512: 10000^(256/512) = 100, sin(100/100)
    (100, 257, 512, 0.54030230586813971740),  # cos(1)
    (9999, 0, 4, 0.63608695639623358095),  # sin(9999)
    (9999, 1, 4, -0.77161738180433444607),  # cos(9999)
    (9999, 2, 4, -0.51496336804247167497),  # sin(99.99)
    (9999, 3, 4, 0.85721218468612184236),  # cos(99.99)
]


@pytest.mark.parametrize("dtype, atol", [(torch.float64, 1e-12), (torch.float32, 1e-7)])
def test_golden_values(dtype, atol):
    tables = {d: ref.sinusoidal_encoding(10_000, d, dtype=dtype) for d in {d for _, _, d, _ in GOLDEN}}
    for pos, column, d_model, value in GOLDEN:
        got = tables[d_model][pos, column].item()
        assert abs(got - value) <= atol, (pos, column, d_model, got, value)


def test_odd_d_model_ends_with_a_sine():
    pe = ref.sinusoidal_encoding(3, 5, dtype=torch.float64)
    assert torch.equal(pe[0], torch.tensor([0.0, 1.0, 0.0, 1.0, 0.0], dtype=torch.float64))
    torch.testing.assert_close(pe[2, 4], torch.sin(torch.tensor(2 / 10000**0.8, dtype=torch.float64)))


def test_default_dtype_is_float32_and_relative_positions_are_rotations():
    pe = ref.sinusoidal_encoding(50, 8)
    assert pe.dtype == torch.float32 and pe.device.type == "cpu"
    # PE(pos + k) = R(k) PE(pos) for a fixed rotation per (sin, cos) pair, whatever pos is.
    pe = ref.sinusoidal_encoding(50, 8, dtype=torch.float64)
    k = 7
    omega = 1 / 10000 ** (torch.arange(0, 8, 2, dtype=torch.float64) / 8)
    s, c = pe[:-k, 0::2], pe[:-k, 1::2]
    torch.testing.assert_close(pe[k:, 0::2], s * torch.cos(omega * k) + c * torch.sin(omega * k))
    torch.testing.assert_close(pe[k:, 1::2], c * torch.cos(omega * k) - s * torch.sin(omega * k))


def test_reference_stays_on_the_meta_device():
    pe = ref.sinusoidal_encoding(10, 7, device="meta", dtype=torch.float64)
    assert pe.device.type == "meta" and pe.shape == (10, 7) and pe.dtype == torch.float64
