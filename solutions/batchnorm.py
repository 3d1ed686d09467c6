"""Reference for `batchnorm`: batch normalisation of x (N, D), forward and backward, by hand.

Training normalises with the batch's own statistics and updates the running estimates in
place, as nn.BatchNorm1d does; evaluation normalises with the running estimates.
"""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if training:
        N = x.shape[0]
        if N < 2:
            raise ValueError("training needs at least 2 samples per feature (as nn.BatchNorm1d)")
        mu = x.mean(axis=0)  # (D,)
        var = ((x - mu) ** 2).mean(axis=0)  # (D,) biased: σ² = (1/N) Σᵢ (xᵢ − μ)²
        # running estimates, in place: the caller's arrays are the module's state.
        # PyTorch's convention: new = (1 − momentum)·old + momentum·batch, variance unbiased.
        running_mean *= 1 - momentum
        running_mean += momentum * mu
        running_var *= 1 - momentum
        running_var += momentum * var * (N / (N - 1))
    else:
        mu, var = running_mean, running_var  # constants: nothing is learned from this batch
    inv_std = 1.0 / np.sqrt(var + eps)  # (D,)  ε inside the √
    x_hat = (x - mu) * inv_std  # (N, D)
    out = gamma * x_hat + beta  # (N, D)
    return out, (x_hat, inv_std, gamma, training)


def batchnorm_backward(dout, cache):
    x_hat, inv_std, gamma, training = cache
    dgamma = (dout * x_hat).sum(axis=0)  # (D,)
    dbeta = dout.sum(axis=0)  # (D,)
    dx_hat = dout * gamma  # (N, D)
    if not training:
        return dx_hat * inv_std, dgamma, dbeta  # μ and σ² are constants in eval
    # in training μ and σ² depend on every xᵢ; with their paths the chain rule collapses to
    # ∂L/∂x = (1/σ)(∂L/∂x̂ − mean(∂L/∂x̂) − x̂ · mean(∂L/∂x̂ ⊙ x̂)), means over the batch
    dx = inv_std * (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0))  # (N, D)
    return dx, dgamma, dbeta
