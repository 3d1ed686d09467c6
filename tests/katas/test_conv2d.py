"""`conv2d`: the reference agrees with F.conv2d and its autograd gradients; the checks can fail."""

from __future__ import annotations

import types

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlprep.grading import compare, loaders, verdict
from dlprep.grading.checks import conv2d as checks
from dlprep.grading.execute import execute
from dlprep.katas.catalog import load

from .strategies import reference, rng, seeds

conv = reference("conv2d")
tiny = st.integers(min_value=1, max_value=3)


@st.composite
def convolutions(draw):
    """(x, w, b, stride, padding) with at least one output position, shapes drawn independently."""
    N, C, Fo = draw(tiny), draw(tiny), draw(tiny)
    H, W = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    KH, KW = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, padding = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    assume(KH <= H + 2 * padding and KW <= W + 2 * padding)
    gen = rng(draw(seeds))
    x = gen.standard_normal((N, C, H, W))
    w = gen.standard_normal((Fo, C, KH, KW))
    b = gen.standard_normal(Fo)
    return x, w, b, stride, padding


@settings(max_examples=25, deadline=None)
@given(convolutions(), seeds)
def test_matches_torch_conv2d_and_its_gradients(conv_args, seed):
    x, w, b, stride, padding = conv_args
    before = [a.copy() for a in (x, w, b)]
    tx, tw, tb = (torch.from_numpy(a.copy()).requires_grad_() for a in (x, w, b))
    expected = F.conv2d(tx, tw, tb, stride=stride, padding=padding)

    out = conv.conv2d_forward(x, w, b, stride=stride, padding=padding)
    assert out.shape == tuple(expected.shape) and out.dtype == np.float64
    np.testing.assert_allclose(out, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    for n, k in ((x.shape[2], w.shape[2]), (x.shape[3], w.shape[3])):
        assert type(conv.conv_output_size(n, k, stride, padding)) is int
    assert (conv.conv_output_size(x.shape[2], w.shape[2], stride, padding),
            conv.conv_output_size(x.shape[3], w.shape[3], stride, padding)) == tuple(expected.shape[2:])

    dout = rng(seed).standard_normal(out.shape)
    expected.backward(torch.from_numpy(dout))
    grads = conv.conv2d_backward(dout, x, w, b, stride=stride, padding=padding)
    for name, got, want in zip(("dx", "dw", "db"), grads, (tx.grad, tw.grad, tb.grad)):
        assert got.shape == tuple(want.shape), name
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)
    for a, a0 in zip((x, w, b), before):  # read-only inputs
        assert np.array_equal(a, a0)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 300), st.integers(1, 11), st.integers(1, 5), st.integers(0, 5))
def test_output_size_is_torchs(n, kernel, stride, padding):
    assume(kernel <= n + 2 * padding)
    want = F.conv2d(torch.zeros(1, 1, 1, n), torch.zeros(1, 1, 1, kernel), stride=stride, padding=padding).shape[-1]
    assert conv.conv_output_size(n, kernel, stride, padding) == want


def test_float32_stays_float32():
    gen = rng(0)
    x, w, b = gen.standard_normal((2, 3, 6, 5)), gen.standard_normal((4, 3, 3, 2)), gen.standard_normal(4)
    x, w, b = (a.astype(np.float32) for a in (x, w, b))
    out = conv.conv2d_forward(x, w, b, stride=2, padding=1)
    assert out.dtype == np.float32
    grads = conv.conv2d_backward(np.ones_like(out), x, w, b, stride=2, padding=1)
    assert [g.dtype for g in grads] == [np.float32] * 3


def _self_check(impl, case):
    """What the grader concludes from a gradient-check case run on `impl`."""
    actual = execute(impl, checks, case, "numpy", "cpu")
    return verdict.differences_from(checks, case, actual, {}, "cpu")


def test_gradient_checks_pass_the_reference_and_catch_a_wrong_backward():
    kata = load().get("conv2d")
    cases = [c for c in loaders.make_cases(kata) if c.compare == "self"]
    assert len(cases) >= 2
    for case in cases:
        assert all(d.passed for d in _self_check(conv, case)), case.name
    strided = next(c for c in cases if c.args["stride"] > 1)
    wrong = next(m for m in loaders.mistakes(kata) if m.id == "dx-ignores-stride")
    failed = [d for d in _self_check(loaders.mistake_impl(kata, wrong), strided) if not d.passed]
    assert failed and failed[0].message.startswith("`dx`")


def test_a_float_output_size_is_reported_by_dtype():
    case = next(c for c in loaders.make_cases(load().get("conv2d")) if c.call == "conv_output_size")
    def as_float(n, kernel, stride=1, padding=0):
        return float(conv.conv_output_size(n, kernel, stride, padding))

    floats = types.SimpleNamespace(conv_output_size=as_float)
    got = execute(floats, checks, case, "numpy", "cpu")["outputs"]["size"]
    want = execute(conv, checks, case, "numpy", "cpu")["outputs"]["size"]
    difference = compare.compare("size", got, want, compare.tolerance(case), expect_device="cpu")
    assert not difference.passed and "dtype float64, expected int64" in difference.message


def test_cases_expose_stride_padding_and_floor():
    cases = loaders.make_cases(load().get("conv2d"))
    convs = [c for c in cases if c.call != "conv_output_size"]
    assert {(c.args["stride"], c.args["padding"]) for c in convs} >= {(1, 0), (2, 1), (3, 2)}
    assert any(c.args["w"].shape[2] != c.args["w"].shape[3] for c in convs)
    assert any(c.args["x"].shape[:2] == (1, 1) for c in convs)
    assert {c.dtype for c in convs} == {"float64", "float32"}
    sizes = [c.args for c in cases if c.call == "conv_output_size"]
    assert any((a["n"] + 2 * a["padding"] - a["kernel"]) % a["stride"] for a in sizes)
