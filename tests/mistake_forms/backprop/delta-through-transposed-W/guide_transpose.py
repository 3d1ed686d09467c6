"""The guide's (Wˡ⁺¹)ᵀδ copied as delta @ W.T, propagated only where a layer below exists."""

import numpy as np


def mlp_loss_and_grads(params, X, y, activation="relu"):
    def g(z):
        return {"relu": np.maximum(z, 0), "tanh": np.tanh(z), "sigmoid": 1 / (1 + np.exp(-z))}[activation]

    def g_prime(z):
        if activation == "relu":
            return (z > 0).astype(float)
        s = g(z)
        return 1 - s**2 if activation == "tanh" else s * (1 - s)

    a_s, z_s = [X], []
    for l, (W, b) in enumerate(params):
        z_s.append(a_s[-1] @ W.T + b)
        a_s.append(z_s[-1] if l == len(params) - 1 else g(z_s[-1]))
    N = len(y)
    zmax = a_s[-1].max(axis=1, keepdims=True)
    log_p = a_s[-1] - zmax - np.log(np.exp(a_s[-1] - zmax).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(N), y].mean()
    delta = np.exp(log_p)
    delta[np.arange(N), y] -= 1
    delta /= N
    grads = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        grads[l] = (delta.T @ a_s[l], delta.sum(axis=0))
        if l > 0:
            delta = (delta @ params[l][0].T) * g_prime(z_s[l - 1])
    return float(loss), grads
