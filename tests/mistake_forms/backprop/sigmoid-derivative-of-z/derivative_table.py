"""A table of derivatives in which sigmoid's is s(1 − s) with s the pre-activation z."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


FORWARD = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "sigmoid": sigmoid}
BACKWARD = {"relu": lambda s: (s > 0) * 1.0, "tanh": lambda s: 1.0 - np.tanh(s) ** 2, "sigmoid": lambda s: s * (1.0 - s)}


def mlp_loss_and_grads(params, X, y, activation="relu"):
    seen = []
    out = X
    for k, (W, b) in enumerate(params):
        pre = np.einsum("nd,od->no", out, W) + b
        seen.append((out, pre))
        out = pre if k == len(params) - 1 else FORWARD[activation](pre)
    rows = np.arange(X.shape[0])
    top = out.max(axis=1, keepdims=True)
    log_sm = out - top - np.log(np.exp(out - top).sum(axis=1, keepdims=True))
    loss = -log_sm[rows, y].mean()
    err = np.exp(log_sm)
    err[rows, y] -= 1.0
    err /= X.shape[0]
    grads = [None] * len(params)
    for k in range(len(params) - 1, -1, -1):
        below, pre = seen[k]
        if k != len(params) - 1:
            err = err * BACKWARD[activation](pre)
        grads[k] = (np.einsum("no,nd->od", err, below), err.sum(axis=0))
        err = err @ params[k][0]
    return float(loss), grads
