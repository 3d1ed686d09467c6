"""A while loop down the layers; the loss is a mean, δ = softmax − one_hot is never divided by N."""

import numpy as np


def mlp_loss_and_grads(params, X, y, activation="relu"):
    f = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z))}[activation]
    df = {
        "relu": lambda z: (z > 0) * 1.0,
        "tanh": lambda z: 1 - np.tanh(z) ** 2,
        "sigmoid": lambda z: f(z) * (1 - f(z)),
    }[activation]
    acts, zs = [X], []
    for i, (W, b) in enumerate(params):
        zs.append(acts[-1] @ W.T + b)
        acts.append(zs[-1] if i == len(params) - 1 else f(zs[-1]))
    logits = acts[-1]
    m = np.max(logits, axis=1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    log_probs = logits - lse
    loss = -np.mean(log_probs[np.arange(len(y)), y])
    delta = np.exp(log_probs)
    delta[np.arange(len(y)), y] -= 1.0
    grads = [None] * len(params)
    i = len(params) - 1
    while i >= 0:
        grads[i] = (delta.T @ acts[i], np.sum(delta, axis=0))
        if i > 0:
            delta = (delta @ params[i][0]) * df(zs[i - 1])
        i -= 1
    return float(loss), grads
