"""Reference for `activations`: the common activations and their derivatives, in NumPy.

Everything is elementwise: any shape in, the same shape and dtype out (float32 stays float32,
so constants are Python floats, never np.float64 scalars).
"""

import math

import numpy as np

GELU_C = math.sqrt(2.0 / math.pi)


def sigmoid(z):
    # σ(z) = 1/(1 + e⁻ᶻ) for z ≥ 0 and eᶻ/(1 + eᶻ) for z < 0: exp only ever sees -|z| ≤ 0,
    # so nothing overflows (z = ±1000) and no branch computes inf/inf.
    e = np.exp(-np.abs(z))  # in (0, 1]
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(z):
    return np.tanh(z)  # stable; (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ) is inf/inf beyond |z| ≈ 710


def relu(z):
    return np.maximum(z, 0.0)


def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, z, alpha * z)


def gelu(z):
    # tanh approximation, as F.gelu(approximate="tanh")
    return 0.5 * z * (1.0 + np.tanh(GELU_C * (z + 0.044715 * z**3)))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 - s)  # σ'(z) = σ(z)(1 − σ(z))


def tanh_grad(z):
    return 1.0 - tanh(z) ** 2  # tanh'(z) = 1 − tanh²(z)


def relu_grad(z):
    return (z > 0).astype(z.dtype)  # 0 at z = 0, as PyTorch's autograd


def leaky_relu_grad(z, alpha=0.01):
    return np.where(z > 0, 1.0, alpha).astype(z.dtype)  # alpha at z = 0, as PyTorch
