"""Sigmoid filled piecewise through boolean masks (exp only of −|z|), tanh as 2σ(2z) − 1, relu as z·(z > 0)."""

import math

import numpy as np


def sigmoid(z):
    out = np.empty_like(z)
    positive = z >= 0
    negative = ~positive
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[negative])  # z < 0 here: e in (0, 1)
    out[negative] = e / (1.0 + e)
    return out


def tanh(z):
    return 2.0 * sigmoid(2.0 * z) - 1.0


def relu(z):
    return z * (z > 0)


def leaky_relu(z, alpha=0.01):
    slope = np.where(z > 0, 1.0, alpha).astype(z.dtype)
    return z * slope


def gelu(z):
    inner = math.sqrt(2.0 / math.pi) * (z + 0.044715 * z * z * z)
    return 0.5 * z * (1.0 + tanh(inner))


def sigmoid_grad(z):
    # σ(z)(1 − σ(z)) = e / (1 + e)² with e = exp(−|z|): symmetric in z, no overflow
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def tanh_grad(z):
    t = np.tanh(z)
    return (1.0 - t) * (1.0 + t)


def relu_grad(z):
    grad = np.zeros_like(z)
    grad[z > 0] = 1.0
    return grad


def leaky_relu_grad(z, alpha=0.01):
    grad = np.full_like(z, alpha)
    grad[z > 0] = 1.0
    return grad
