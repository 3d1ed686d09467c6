"""Every layer, the last one included, goes through the activation, forward and backward."""

import numpy as np

F = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z))}
DF = {
    "relu": lambda z: (z > 0).astype(float),
    "tanh": lambda z: 1.0 - np.tanh(z) ** 2,
    "sigmoid": lambda z: F["sigmoid"](z) * (1.0 - F["sigmoid"](z)),
}


def mlp_loss_and_grads(params, X, y, activation="relu"):
    a, cache = X, []
    for W, b in params:
        z = a @ W.T + b
        cache.append((a, z))
        a = F[activation](z)
    N = len(y)
    m = a.max(axis=1, keepdims=True)
    log_p = a - m - np.log(np.sum(np.exp(a - m), axis=1, keepdims=True))
    loss = -np.mean(log_p[np.arange(N), y])
    da = np.exp(log_p)
    da[np.arange(N), y] -= 1
    da /= N
    grads = []
    for (a_prev, z), (W, _) in zip(reversed(cache), reversed(params)):
        dz = da * DF[activation](z)
        grads.append((dz.T @ a_prev, dz.sum(axis=0)))
        da = dz @ W
    return float(loss), grads[::-1]
