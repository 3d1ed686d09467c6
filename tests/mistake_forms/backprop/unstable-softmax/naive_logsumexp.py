"""log-probabilities as z − log Σ exp(z), with no max subtracted, and probabilities as their exp."""

import numpy as np


def activation_fn(z, name):
    return {"relu": np.maximum(z, 0), "tanh": np.tanh(z), "sigmoid": 1 / (1 + np.exp(-z))}[name]


def activation_derivative(z, name):
    if name == "relu":
        return np.heaviside(z, 0.0)
    a = activation_fn(z, name)
    return 1 - a * a if name == "tanh" else a * (1 - a)


def mlp_loss_and_grads(params, X, y, activation="relu"):
    N = len(X)
    layer_inputs, zs, a = [], [], X
    for l, (W, b) in enumerate(params):
        layer_inputs.append(a)
        zs.append(a @ W.T + b)
        a = zs[-1] if l + 1 == len(params) else activation_fn(zs[-1], activation)
    log_probs = a - np.log(np.sum(np.exp(a), axis=1, keepdims=True))
    loss = -np.mean(log_probs[np.arange(N), y])
    delta = np.exp(log_probs)
    delta[np.arange(N), y] -= 1
    delta = delta / N
    grads = []
    for l in reversed(range(len(params))):
        if l + 1 < len(params):
            delta = delta * activation_derivative(zs[l], activation)
        grads = [(delta.T @ layer_inputs[l], delta.sum(0))] + grads
        delta = delta @ params[l][0]
    return float(loss), grads
