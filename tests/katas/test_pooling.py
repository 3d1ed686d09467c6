"""`pooling`: the reference agrees with F.max_pool2d (values and autograd, ties included),
F.avg_pool2d and F.adaptive_avg_pool2d(x, 1); the checks can fail."""

from __future__ import annotations

import types

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders, verdict
from dlprep.grading.checks import pooling as checks
from dlprep.grading.execute import execute
from dlprep.katas.catalog import load

from .strategies import reference, rng, seeds

pool = reference("pooling")
KATA = load().get("pooling")


@st.composite
def poolings(draw):
    """(x, kernel, stride): kernel ≤ H, W; stride below, equal to or above kernel; ties when `levels`."""
    N, C = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H, W = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    kernel, stride = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    assume(kernel <= min(H, W))
    gen = rng(draw(seeds))
    levels = draw(st.sampled_from([None, 2, 3]))  # integer-valued inputs are full of ties
    x = gen.standard_normal((N, C, H, W)) if levels is None else gen.integers(0, levels, (N, C, H, W)).astype(np.float64)
    return x, kernel, stride


@settings(max_examples=25, deadline=None)
@given(poolings(), seeds)
def test_max_pool_matches_torch_and_its_gradient(pooling, seed):
    x, kernel, stride = pooling
    before = x.copy()
    tx = torch.from_numpy(x.copy()).requires_grad_()
    expected = F.max_pool2d(tx, kernel, stride)
    out, cache = pool.max_pool2d_forward(x, kernel, stride)
    assert out.shape == tuple(expected.shape) and out.dtype == np.float64
    np.testing.assert_array_equal(out, expected.detach().numpy())

    dout = rng(seed).standard_normal(out.shape)
    expected.backward(torch.from_numpy(dout))
    dx = pool.max_pool2d_backward(dout, cache)
    assert dx.shape == x.shape
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-12, atol=1e-12)  # ties: PyTorch's first maximum
    assert np.array_equal(x, before)


@settings(max_examples=25, deadline=None)
@given(poolings())
def test_avg_and_global_pool_match_torch(pooling):
    x, kernel, stride = pooling
    before = x.copy()
    np.testing.assert_allclose(pool.avg_pool2d(x, kernel, stride), F.avg_pool2d(torch.from_numpy(x), kernel, stride).numpy(),
                               rtol=1e-12, atol=1e-14)
    glob = pool.global_avg_pool(x)
    assert glob.shape == x.shape[:2]
    np.testing.assert_allclose(glob, F.adaptive_avg_pool2d(torch.from_numpy(x), 1).numpy()[:, :, 0, 0], rtol=1e-12, atol=1e-14)
    assert np.array_equal(x, before)


def test_ties_go_to_the_first_maximum_in_row_major_order():
    x = np.array([[[[1.0, 3.0, 3.0], [3.0, 0.0, 3.0], [2.0, 3.0, 1.0]]]])  # five 3s in one 3×3 window
    out, cache = pool.max_pool2d_forward(x, 3, 1)
    dx = pool.max_pool2d_backward(np.ones_like(out), cache)
    assert out.item() == 3.0
    assert dx.tolist() == [[[[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]]]


def test_overlapping_windows_add_at_a_shared_maximum():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 5.0  # the max of all four 2×2 windows at stride 1
    out, cache = pool.max_pool2d_forward(x, 2, 1)
    dx = pool.max_pool2d_backward(np.arange(1.0, 5.0).reshape(1, 1, 2, 2), cache)
    assert dx[0, 0, 1, 1] == 1 + 2 + 3 + 4 and dx.sum() == 10


def test_float32_stays_float32():
    x = rng(1).standard_normal((2, 3, 5, 6)).astype(np.float32)
    out, cache = pool.max_pool2d_forward(x, 3, 2)
    assert out.dtype == np.float32 and pool.max_pool2d_backward(np.ones_like(out), cache).dtype == np.float32
    assert pool.avg_pool2d(x, 2, 2).dtype == np.float32 and pool.global_avg_pool(x).dtype == np.float32


def _self_check(impl, case):
    actual = execute(impl, checks, case, "numpy", "cpu")
    return verdict.differences_from(checks, case, actual, {}, "cpu")


def test_gradient_checks_pass_the_reference_and_catch_a_wrong_backward():
    cases = [c for c in loaders.make_cases(KATA) if c.compare == "self"]
    assert len(cases) >= 2
    for case in cases:
        assert all(d.passed for d in _self_check(pool, case)), case.name
    overlapping = next(c for c in cases if c.args["stride"] < c.args["kernel"])
    wrong = next(m for m in loaders.mistakes(KATA) if m.id == "window-overwritten")
    failed = [d for d in _self_check(loaders.mistake_impl(KATA, wrong), overlapping) if not d.passed]
    assert failed and failed[0].message.startswith("`dx`")


def test_backward_cases_use_the_submissions_own_cache():
    """A submission whose cache is x itself (not the reference's layout) is graded on its dx alone."""
    def forward(x, kernel, stride):
        return pool.max_pool2d_forward(x, kernel, stride)[0], {"x": x, "k": kernel, "s": stride}

    def backward(dout, cache):
        return pool.max_pool2d_backward(dout, pool.max_pool2d_forward(cache["x"], cache["k"], cache["s"])[1])

    own = types.SimpleNamespace(max_pool2d_forward=forward, max_pool2d_backward=backward)
    case = next(c for c in loaders.make_cases(KATA) if c.call == "max_pool2d_backward" and c.compare == "reference")
    got = execute(own, checks, case, "numpy", "cpu")
    want = execute(pool, checks, case, "numpy", "cpu")
    assert all(d.passed for d in verdict.differences_from(checks, case, got, want, "cpu"))


def test_cases_have_ties_overlap_gaps_and_both_dtypes():
    cases = [c for c in loaders.make_cases(KATA) if c.call == "max_pool2d_backward" and c.compare == "reference"]
    strides = {(c.args["stride"] > c.args["kernel"]) - (c.args["stride"] < c.args["kernel"]) for c in cases}
    assert strides == {-1, 0, 1}
    assert {c.dtype for c in cases} == {"float64", "float32"}

    def has_tied_window(x, k, s):
        for i in range(0, x.shape[2] - k + 1, s):
            for j in range(0, x.shape[3] - k + 1, s):
                w = x[:, :, i:i + k, j:j + k].reshape(*x.shape[:2], -1)
                if ((w == w.max(axis=2, keepdims=True)).sum(axis=2) > 1).any():
                    return True
        return False

    assert any(has_tied_window(c.args["x"], c.args["kernel"], c.args["stride"]) and c.args["stride"] < c.args["kernel"]
               for c in cases)
