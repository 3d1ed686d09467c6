"""np.var for the batch variance, np.var(ddof=1) for the running one; backward N·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)."""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean[:] = momentum * mean + (1 - momentum) * running_mean
        running_var[:] = momentum * x.var(axis=0, ddof=1) + (1 - momentum) * running_var
    else:
        mean, var = running_mean.copy(), running_var.copy()
    inv_std = (var + eps) ** -0.5
    x_hat = (x - mean) * inv_std
    return x_hat * gamma + beta, (x_hat, gamma, inv_std, training)


def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std, training = cache
    N = dout.shape[0]
    dx_hat = dout * gamma
    if training:
        dx = (inv_std / N) * (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    else:
        dx = dx_hat * inv_std
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
