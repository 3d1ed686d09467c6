"""dZ = (P − Y) / m, then dW = dZᵀA / m and db = Σ dZ / m as well: the batch size divided out twice."""

import numpy as np


def g(Z, kind):
    return np.maximum(Z, 0) if kind == "relu" else np.tanh(Z) if kind == "tanh" else 1 / (1 + np.exp(-Z))


def g_prime(Z, kind):
    if kind == "relu":
        return (Z > 0).astype(Z.dtype)
    A = g(Z, kind)
    return 1 - A**2 if kind == "tanh" else A * (1 - A)


def mlp_loss_and_grads(params, X, y, activation="relu"):
    m = X.shape[0]
    A, cache = X, []
    for l, (W, b) in enumerate(params):
        Z = A @ W.T + b
        cache.append((A, Z))
        A = Z if l == len(params) - 1 else g(Z, activation)
    Zs = A - A.max(axis=1, keepdims=True)
    logP = Zs - np.log(np.exp(Zs).sum(axis=1, keepdims=True))
    loss = -logP[np.arange(m), y].mean()
    Y = np.zeros_like(A)
    Y[np.arange(m), y] = 1
    dZ = (np.exp(logP) - Y) / m
    grads = []
    for l in reversed(range(len(params))):
        A_prev, Z = cache[l]
        if l < len(params) - 1:
            dZ = dZ * g_prime(Z, activation)
        grads.append((dZ.T @ A_prev / m, dZ.sum(axis=0) / m))
        dZ = dZ @ params[l][0]
    return float(loss), grads[::-1]
