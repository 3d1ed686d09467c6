"""Sigmoid as 0.5 * (1 + tanh(z/2)), everything in float64 (np.asarray(z, dtype=np.float64)), np constants."""

import numpy as np

SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)


def _f64(z):
    # float64 throughout: a float32 input gets a float64 (more precise) result
    return np.asarray(z, dtype=np.float64)


def sigmoid(z):
    # tanh saturates to ±1 without any exp, so nothing can overflow
    return 0.5 * (1.0 + np.tanh(0.5 * _f64(z)))


def tanh(z):
    return np.tanh(_f64(z))


def relu(z):
    z = _f64(z)
    return np.where(z > 0, z, 0.0)


def leaky_relu(z, alpha=0.01):
    z = _f64(z)
    return np.where(z > 0, z, alpha * z)


def gelu(z):
    z = _f64(z)
    return 0.5 * z * (1.0 + np.tanh(SQRT_2_OVER_PI * (z + 0.044715 * np.power(z, 3))))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_grad(z):
    t = tanh(z)
    return 1.0 - t * t


def relu_grad(z):
    return (_f64(z) > 0).astype(float)


def leaky_relu_grad(z, alpha=0.01):
    return np.where(_f64(z) > 0, 1.0, float(alpha))
