"""probs = exp(z) / Σ exp(z) on the raw logits, and log(p + 1e-12) for the loss."""

import numpy as np


def mlp_loss_and_grads(params, X, y, activation="relu"):
    acts = {"relu": lambda t: np.maximum(t, 0.0), "tanh": np.tanh, "sigmoid": lambda t: 1.0 / (1.0 + np.exp(-t))}
    grads_of = {
        "relu": lambda t: (t > 0).astype(float),
        "tanh": lambda t: 1.0 - np.tanh(t) ** 2,
        "sigmoid": lambda t: acts["sigmoid"](t) * (1.0 - acts["sigmoid"](t)),
    }
    N = X.shape[0]
    a, stack = X, []
    for i, (W, b) in enumerate(params):
        z = a @ W.T + b
        stack.append((a, z))
        a = z if i == len(params) - 1 else acts[activation](z)
    with np.errstate(over="ignore", invalid="ignore"):
        exp = np.exp(a)
        probs = exp / np.sum(exp, axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y] + 1e-12))
    delta = probs.copy()
    delta[np.arange(N), y] -= 1
    delta /= N
    out = []
    for i in range(len(params) - 1, -1, -1):
        a_prev, z = stack[i]
        if i != len(params) - 1:
            delta *= grads_of[activation](z)
        out.append((delta.T @ a_prev, delta.sum(axis=0)))
        delta = delta @ params[i][0]
    return float(loss), out[::-1]
