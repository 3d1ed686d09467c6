"""Statistics and outputs in float64 (np.asarray(x, dtype=np.float64)); long-form chain rule through μ, σ²."""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    N = x.shape[0]
    if training:
        if N < 2:
            raise ValueError("batch normalisation in training needs N >= 2")
        mu = x.mean(axis=0)
        var = np.mean((x - mu) ** 2, axis=0)
        running_mean[...] = (1.0 - momentum) * running_mean + momentum * mu
        running_var[...] = (1.0 - momentum) * running_var + momentum * var * N / (N - 1)
    else:
        mu = np.asarray(running_mean, dtype=np.float64)
        var = np.asarray(running_var, dtype=np.float64)
    x_hat = (x - mu) / np.sqrt(var + eps)
    cache = (x, mu, var, eps, np.asarray(gamma, dtype=np.float64), x_hat, training)
    return gamma * x_hat + beta, cache


def batchnorm_backward(dout, cache):
    x, mu, var, eps, gamma, x_hat, training = cache
    dout = np.asarray(dout, dtype=np.float64)
    N = x.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx_hat = dout * gamma
    std = np.sqrt(var + eps)
    if not training:
        return dx_hat / std, dgamma, dbeta
    centered = x - mu
    dvar = np.sum(dx_hat * centered, axis=0) * -0.5 * (var + eps) ** -1.5
    dmu = -np.sum(dx_hat, axis=0) / std + dvar * -2.0 * centered.mean(axis=0)
    dx = dx_hat / std + dvar * 2.0 * centered / N + dmu / N
    return dx, dgamma, dbeta
