"""Mistakes interviewers see in activations and their derivatives.

Each mistake replaces one reference function (two for leaky-alpha-ignored). The reference's
sigmoid_grad and tanh_grad call the module's sigmoid and tanh, as most learners' do, so an
unstable sigmoid or tanh shows in their derivatives too.
"""

import math

import numpy as np

from dlprep.grading.spec import mistake
from dlprep.solutions import activations as ref

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _naive_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))  # exp(1000) = inf: right value, but an overflow warning


def _where_sigmoid(z):
    # np.where evaluates both branches everywhere: exp(-z) overflows for z = -1000, exp(z) for z = 1000
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))


def _naive_tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))  # inf/inf = NaN beyond |z| ≈ 710


def _gelu_erf(z):
    return (0.5 * z * (1.0 + _erf(z / math.sqrt(2.0)))).astype(z.dtype)  # z Φ(z), exactly


def _gelu_sigmoid(z):
    return z * ref.sigmoid(1.702 * z)


def _leaky(z, alpha=0.01):
    return np.where(z > 0, z, 0.01 * z)


def _leaky_grad(z, alpha=0.01):
    return np.where(z > 0, 1.0, 0.01).astype(z.dtype)


MISTAKES = [
    mistake(
        "relu-grad-at-zero-one",
        "relu_grad returns 1 at z = 0 (z >= 0). The guide's ReLU'(z) = 1 if z > 0 else 0, and PyTorch's "
        "autograd agrees: the subgradient at the kink is taken as 0. Use z > 0.",
        relu_grad=lambda z: (z >= 0).astype(z.dtype),
    ),
    mistake(
        "relu-grad-bool",
        "relu_grad returns the comparison itself, `z > 0`, a boolean array: the values look right, "
        "but a derivative is a number, and multiplying it into a float16 or integer pipeline, or "
        "negating it, goes wrong. Cast it: `(z > 0).astype(z.dtype)`.",
        relu_grad=lambda z: z > 0,
    ),
    mistake(
        "naive-sigmoid-overflow",
        "sigmoid is computed as 1/(1 + e⁻ᶻ) for every z: at z = −1000, e⁻ᶻ = e¹⁰⁰⁰ overflows to inf "
        "and NumPy warns (the value 0 happens to come out right, the warning is the failure; in "
        "float32 it already happens at z ≈ −89). Stable form: 1/(1 + e⁻ᶻ) for z ≥ 0 and eᶻ/(1 + eᶻ) "
        "for z < 0, i.e. exp only of −|z|.",
        sigmoid=_naive_sigmoid,
    ),
    mistake(
        "sigmoid-where-both-branches",
        "sigmoid picks the stable branch with np.where(z >= 0, 1/(1 + exp(−z)), exp(z)/(1 + exp(z))), "
        "but np.where evaluates BOTH branches on every element before choosing: exp(1000) still "
        "overflows and inf/inf warns. Compute e = exp(−|z|) once, then "
        "np.where(z >= 0, 1/(1 + e), e/(1 + e)).",
        sigmoid=_where_sigmoid,
    ),
    mistake(
        "naive-tanh-overflow",
        "tanh is computed from the guide's (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ): beyond |z| ≈ 710 both exponentials "
        "overflow and inf/inf is NaN. Use np.tanh, or the stable 2σ(2z) − 1.",
        tanh=_naive_tanh,
    ),
    mistake(
        "tanh-grad-missing-square",
        "tanh_grad returns 1 − tanh(z); the guide's derivative is tanh'(z) = 1 − tanh²(z): square the tanh.",
        tanh_grad=lambda z: 1.0 - ref.tanh(z),
    ),
    mistake(
        "tanh-grad-of-z",
        "tanh_grad returns 1 − z², the derivative written in terms of the activation a = tanh(z) "
        "(1 − a²). These functions take the pre-activation z: compute 1 − tanh(z)².",
        tanh_grad=lambda z: 1.0 - z**2,
    ),
    mistake(
        "sigmoid-grad-of-z",
        "sigmoid_grad returns z(1 − z), the derivative written in terms of the activation a = σ(z) "
        "(a(1 − a)). These functions take the pre-activation z: σ'(z) = σ(z)(1 − σ(z)).",
        sigmoid_grad=lambda z: z * (1.0 - z),
    ),
    mistake(
        "gelu-erf-not-tanh",
        "gelu computes the exact GELU z Φ(z) = 0.5 z (1 + erf(z/√2)) (the guide's form, and "
        "F.gelu's default). The contract asks for the tanh approximation, as "
        "F.gelu(approximate=\"tanh\"): 0.5 z (1 + tanh(√(2/π)(z + 0.044715 z³))); they differ by up "
        "to ~1e-3.",
        gelu=_gelu_erf,
    ),
    mistake(
        "gelu-sigmoid-approx",
        "gelu uses the sigmoid approximation z σ(1.702 z). The contract asks for the tanh "
        "approximation 0.5 z (1 + tanh(√(2/π)(z + 0.044715 z³))), as F.gelu(approximate=\"tanh\").",
        gelu=_gelu_sigmoid,
    ),
    mistake(
        "leaky-alpha-ignored",
        "leaky_relu / leaky_relu_grad use a hard-coded slope 0.01 instead of the `alpha` argument: "
        "LeakyReLU(z) = z if z > 0 else αz, with derivative 1 or α.",
        leaky_relu=_leaky,
        leaky_relu_grad=_leaky_grad,
    ),
]
