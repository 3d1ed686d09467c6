"""x reshaped to (rows, D) and a Python loop normalising one row at a time, forward and backward."""

import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    D = x.shape[-1]
    rows = x.reshape(-1, D)
    x_hat = np.empty_like(rows)
    inv_std = np.empty(rows.shape[0], dtype=x.dtype)
    for r, row in enumerate(rows):
        mean = row.mean()
        inv_std[r] = 1.0 / np.sqrt(((row - mean) ** 2).mean() + eps)
        x_hat[r] = (row - mean) * inv_std[r]
    out = (x_hat * gamma + beta).reshape(x.shape)
    return out, (x_hat, inv_std, gamma, x.shape)


def layernorm_backward(dout, cache):
    x_hat, inv_std, gamma, shape = cache
    g = dout.reshape(x_hat.shape)
    dx = np.empty_like(g)
    for r in range(g.shape[0]):
        dx_hat = g[r] * gamma
        dx[r] = inv_std[r] * (dx_hat - dx_hat.mean() - x_hat[r] * np.dot(dx_hat, x_hat[r]) / dx_hat.size)
    dgamma = (g * x_hat).sum(axis=0)
    dbeta = g.sum(axis=0)
    return dx.reshape(shape), dgamma, dbeta
