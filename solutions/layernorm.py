"""Reference for `layernorm`: layer normalisation over the last axis of x (..., D), by hand.

Each row (one sample, or one token of a sequence) is normalised over its own D features,
so there are no running statistics and no train/eval difference, and a batch of one works.
"""

import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)  # (..., 1)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)  # (..., 1) biased: divide by D, as F.layer_norm
    inv_std = 1.0 / np.sqrt(var + eps)  # (..., 1)  ε inside the √
    x_hat = (x - mu) * inv_std  # (..., D)
    out = gamma * x_hat + beta  # (..., D): gamma, beta (D,) broadcast over the leading axes
    return out, (x_hat, inv_std, gamma)


def layernorm_backward(dout, cache):
    x_hat, inv_std, gamma = cache
    leading = tuple(range(dout.ndim - 1))  # every axis but the features: batch, time, ...
    dgamma = (dout * x_hat).sum(axis=leading)  # (D,)
    dbeta = dout.sum(axis=leading)  # (D,)
    dx_hat = dout * gamma  # (..., D)
    # μ and σ² of a row depend on all its D features: the batchnorm formula, over the last axis
    # ∂L/∂x = (1/σ)(∂L/∂x̂ − mean(∂L/∂x̂) − x̂ · mean(∂L/∂x̂ ⊙ x̂)), means over the features
    dx = inv_std * (
        dx_hat - dx_hat.mean(axis=-1, keepdims=True) - x_hat * (dx_hat * x_hat).mean(axis=-1, keepdims=True)
    )  # (..., D)
    return dx, dgamma, dbeta
