"""The staged computational graph walked back node by node; running statistics updated through ufunc out=."""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    N = x.shape[0]
    if training:
        mu = np.sum(x, axis=0) / N  # (D,)
        centered = x - mu  # (N, D)
        squared = centered**2
        var = np.sum(squared, axis=0) / N  # (D,)
        np.multiply(running_mean, 1.0 - momentum, out=running_mean)
        np.add(running_mean, momentum * mu, out=running_mean)
        np.multiply(running_var, 1.0 - momentum, out=running_var)
        np.add(running_var, (momentum * N / (N - 1)) * var, out=running_var)
    else:
        centered = x - running_mean
        var = running_var
    root = np.sqrt(var + eps)
    inverse = 1.0 / root
    x_hat = centered * inverse
    scaled = gamma * x_hat
    out = scaled + beta
    return out, {"centered": centered, "root": root, "inverse": inverse, "x_hat": x_hat, "gamma": gamma,
                 "var": var, "eps": eps, "training": training}


def batchnorm_backward(dout, cache):
    N = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * cache["x_hat"], axis=0)
    dx_hat = dout * cache["gamma"]
    if not cache["training"]:
        return dx_hat * cache["inverse"], dgamma, dbeta
    dinverse = np.sum(dx_hat * cache["centered"], axis=0)
    dcentered = dx_hat * cache["inverse"]
    droot = -dinverse / cache["root"] ** 2
    dvar = 0.5 * droot / np.sqrt(cache["var"] + cache["eps"])
    dsquared = np.ones_like(dout) * dvar / N
    dcentered = dcentered + 2.0 * cache["centered"] * dsquared
    dmu = -np.sum(dcentered, axis=0)
    dx = dcentered + np.ones_like(dout) * dmu / N
    return dx, dgamma, dbeta
