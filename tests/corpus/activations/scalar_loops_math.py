"""Python loops over every element with the math module (branching sigmoid), results written into np.empty_like."""

import math

import numpy as np


def _elementwise(z, scalar_fn):
    out = np.empty_like(z)
    for index, value in np.ndenumerate(z):
        out[index] = scalar_fn(float(value))
    return out


def _sigmoid1(v):
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def _sigmoid_grad1(v):
    s = _sigmoid1(v)
    return s * (1.0 - s)


def _gelu1(v):
    return 0.5 * v * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) * (v + 0.044715 * v**3)))


def sigmoid(z):
    return _elementwise(z, _sigmoid1)


def tanh(z):
    return _elementwise(z, math.tanh)


def relu(z):
    return _elementwise(z, lambda v: v if v > 0 else 0.0)


def leaky_relu(z, alpha=0.01):
    return _elementwise(z, lambda v: v if v > 0 else alpha * v)


def gelu(z):
    return _elementwise(z, _gelu1)


def sigmoid_grad(z):
    return _elementwise(z, _sigmoid_grad1)


def tanh_grad(z):
    return _elementwise(z, lambda v: 1.0 - math.tanh(v) ** 2)


def relu_grad(z):
    return _elementwise(z, lambda v: 1.0 if v > 0 else 0.0)


def leaky_relu_grad(z, alpha=0.01):
    return _elementwise(z, lambda v: 1.0 if v > 0 else alpha)
