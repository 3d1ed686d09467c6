"""Kata `activations`: the common activations and their derivatives, in NumPy.

Every function is elementwise: `z` is an np.ndarray of any shape (float64 or float32), and
the result has the same shape and dtype. No scipy, no torch. Grade with
`dlprep grade activations`.
"""

import math

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e⁻ᶻ).

    Must be stable: z = ±1000 gives 1 and 0 without NumPy overflow warnings (exp(1000) is inf),
    also in float32, where exp overflows above z ≈ 88.7.
    """
    raise NotImplementedError


def tanh(z):
    """tanh(z) = (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ), stable for z = ±1000 (np.tanh is allowed)."""
    raise NotImplementedError


def relu(z):
    """ReLU(z) = max(0, z)."""
    raise NotImplementedError


def leaky_relu(z, alpha=0.01):
    """LeakyReLU(z) = z if z > 0 else alpha · z (the guide's max(αz, z) for 0 ≤ α ≤ 1)."""
    raise NotImplementedError


def gelu(z):
    """GELU, tanh approximation (as F.gelu(z, approximate="tanh")):

        GELU(z) ≈ 0.5 z (1 + tanh(√(2/π) (z + 0.044715 z³)))

    not the exact z Φ(z) with erf.
    """
    raise NotImplementedError


def sigmoid_grad(z):
    """dσ/dz at z (the pre-activation): σ'(z) = σ(z)(1 − σ(z)). Stable for z = ±1000."""
    raise NotImplementedError


def tanh_grad(z):
    """d tanh/dz at z: tanh'(z) = 1 − tanh²(z)."""
    raise NotImplementedError


def relu_grad(z):
    """ReLU'(z) = 1 if z > 0 else 0 (0 at z = 0, as PyTorch's autograd), same dtype as z."""
    raise NotImplementedError


def leaky_relu_grad(z, alpha=0.01):
    """LeakyReLU'(z) = 1 if z > 0 else alpha (alpha at z = 0, as PyTorch), same dtype as z."""
    raise NotImplementedError
