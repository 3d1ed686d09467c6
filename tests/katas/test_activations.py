"""`activations`: the reference agrees with PyTorch's activations and autograd derivatives."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.grading.checks import activations as checks
from dlprep.grading.spec import Case

from .strategies import reference, rng, seeds, small

act = reference("activations")

TORCH = {
    "sigmoid": lambda z, alpha: torch.sigmoid(z),
    "tanh": lambda z, alpha: torch.tanh(z),
    "relu": lambda z, alpha: torch.relu(z),
    "leaky_relu": lambda z, alpha: F.leaky_relu(z, alpha),
    "gelu": lambda z, alpha: F.gelu(z, approximate="tanh"),
}
LEAKY = {"leaky_relu", "leaky_relu_grad"}


def inputs(seed, shape, spread):
    """Normal values with some exact zeros: PyTorch's derivative at the kink is part of the contract."""
    z = rng(seed).standard_normal(shape) * spread
    z.reshape(-1)[:: 3] = 0.0
    return z


def call(name, z, alpha):
    return getattr(act, name)(z, alpha) if name in LEAKY else getattr(act, name)(z)


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(sorted(TORCH)),
    shape=st.lists(small, min_size=1, max_size=3),
    spread=st.sampled_from([0.5, 3.0, 30.0]),
    alpha=st.sampled_from([0.01, 0.1, 0.2, 0.5]),
    seed=seeds,
)
def test_activation_and_derivative_match_torch_autograd(name, shape, spread, alpha, seed):
    z = inputs(seed, tuple(shape), spread)
    t = torch.from_numpy(z).requires_grad_(True)
    want = TORCH[name](t, alpha)
    got = call(name, z, alpha)
    assert got.shape == z.shape and got.dtype == np.float64
    np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-12, atol=1e-14)
    if name == "gelu":
        return  # no gelu_grad in the contract
    (dz,) = torch.autograd.grad(want.sum(), t)
    grad = call(f"{name}_grad", z, alpha)
    assert grad.shape == z.shape and grad.dtype == np.float64
    np.testing.assert_allclose(grad, dz.numpy(), rtol=1e-12, atol=1e-14)


def test_derivatives_at_exactly_zero():
    z = np.zeros(3)
    assert (act.relu_grad(z) == 0).all()
    assert (act.leaky_relu_grad(z, 0.2) == 0.2).all()
    t = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    (dz,) = torch.autograd.grad(F.leaky_relu(t, 0.2).sum(), t)
    assert (dz == 0.2).all()  # the convention the reference follows is PyTorch's


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_large_inputs_are_exact_without_warnings(dtype):
    z = np.array([-1000.0, -100.0, -89.0, 0.0, 89.0, 100.0, 1000.0], dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        results = {name: call(name, z, 0.1) for name in [*TORCH, *(f"{n}_grad" for n in TORCH if n != "gelu")]}
    t = torch.from_numpy(z).requires_grad_(True)
    for name, got in results.items():
        assert got.dtype == dtype and np.isfinite(got).all(), name
        base = name.removesuffix("_grad")
        want = TORCH[base](t, 0.1)
        if name.endswith("_grad"):
            (want,) = torch.autograd.grad(want.sum(), t)
        np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-6, atol=1e-30, err_msg=name)


def test_float32_stays_float32():
    z = rng(0).standard_normal((3, 4)).astype(np.float32)
    for name in [*TORCH, "sigmoid_grad", "tanh_grad", "relu_grad", "leaky_relu_grad"]:
        assert call(name, z, 0.2).dtype == np.float32, name


def test_inputs_are_not_modified():
    z = inputs(1, (4, 5), 3.0)
    before = z.copy()
    for name in [*TORCH, "sigmoid_grad", "tanh_grad", "relu_grad", "leaky_relu_grad"]:
        call(name, z, 0.2)
    assert np.array_equal(z, before)


class _Naive:
    """A submission whose sigmoid is right in value but overflows on the way."""

    @staticmethod
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))


def test_run_records_numpy_warnings_as_outputs():
    case = Case("large", "sigmoid", {"z": np.array([-1000.0, 0.0])}, outputs=checks.OUTPUTS)
    *flags, out = checks.run(_Naive, case, {"z": case.args["z"]})
    assert dict(zip(checks.WARNINGS, flags)) == {"overflow": 1.0, "divide by zero": 0.0, "invalid value": 0.0}
    np.testing.assert_array_equal(out, [0.0, 0.5])
    *flags, _ = checks.run(act, case, {"z": case.args["z"]})
    assert flags == [0.0, 0.0, 0.0]


def test_gradient_check_expects_the_submissions_own_central_difference():
    z = np.array([[-1.5, 0.7], [2.0, -0.3]])
    case = checks._grad_check("tanh_grad", z)
    grad, plus, minus = checks.run(act, case, dict(case.args))
    wanted = checks.self_expected(case, dict(zip(case.outputs, (grad, plus, minus))))
    np.testing.assert_allclose(wanted["tanh_grad(z)"], grad, rtol=1e-8)
    # a wrong derivative of a right tanh does not match
    assert not np.allclose(wanted["tanh_grad(z)"], 1.0 - np.tanh(z), rtol=1e-3)
