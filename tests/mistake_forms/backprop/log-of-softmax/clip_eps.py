"""A stable softmax, then log(clip(p, 1e-12, 1)): finite, but log 1e-12 where p underflows."""

import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def mlp_loss_and_grads(params, X, y, activation="relu"):
    fwd = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z))}[activation]
    a_list, z_list = [X], []
    for i, (W, b) in enumerate(params):
        z_list.append(a_list[-1] @ W.T + b)
        a_list.append(z_list[-1] if i == len(params) - 1 else fwd(z_list[-1]))
    p = softmax(a_list[-1])
    rows = np.arange(len(y))
    loss = -np.log(np.clip(p[rows, y], 1e-12, 1.0)).mean()
    d = p.copy()
    d[rows, y] -= 1
    d /= len(y)
    grads = [None] * len(params)
    for i in reversed(range(len(params))):
        if i < len(params) - 1:
            if activation == "relu":
                d = d * (z_list[i] > 0)
            elif activation == "tanh":
                d = d * (1 - a_list[i + 1] ** 2)
            else:
                d = d * a_list[i + 1] * (1 - a_list[i + 1])
        grads[i] = (d.T @ a_list[i], d.sum(axis=0))
        d = d @ params[i][0]
    return float(loss), grads
