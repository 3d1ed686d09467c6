"""Row statistics and the result in float64 (np.asarray(x, dtype=np.float64)); chain rule through μ, σ²."""

import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    mu = np.mean(x, axis=-1, keepdims=True)  # (..., 1)
    centered = x - mu
    var = np.mean(centered**2, axis=-1, keepdims=True)  # (..., 1)
    x_hat = centered / np.sqrt(var + eps)
    out = np.asarray(gamma, dtype=np.float64) * x_hat + np.asarray(beta, dtype=np.float64)
    return out, (centered, var, eps, np.asarray(gamma, dtype=np.float64), x_hat)


def layernorm_backward(dout, cache):
    centered, var, eps, gamma, x_hat = cache
    dout = np.asarray(dout, dtype=np.float64)
    D = dout.shape[-1]
    rows = tuple(range(dout.ndim - 1))
    dgamma = np.sum(dout * x_hat, axis=rows)
    dbeta = np.sum(dout, axis=rows)
    dx_hat = dout * gamma
    std = np.sqrt(var + eps)
    dvar = np.sum(dx_hat * centered, axis=-1, keepdims=True) * -0.5 / std**3
    dmu = -np.sum(dx_hat, axis=-1, keepdims=True) / std
    dx = dx_hat / std + dvar * 2.0 * centered / D + dmu / D
    return dx, dgamma, dbeta
