"""The activations are cached and the derivative function, written for z, is called on them."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def derivative(z, kind):
    if kind == "relu":
        return (z > 0).astype(np.float64)
    if kind == "tanh":
        return 1 - np.tanh(z) ** 2
    return sigmoid(z) * (1 - sigmoid(z))


def forward(z, kind):
    return {"relu": np.maximum(z, 0), "tanh": np.tanh(z), "sigmoid": sigmoid(z)}[kind]


def mlp_loss_and_grads(params, X, y, activation="relu"):
    activations = [X]
    for i, (W, b) in enumerate(params):
        z = activations[-1] @ W.T + b
        activations.append(z if i == len(params) - 1 else forward(z, activation))
    logits = activations[-1]
    N = len(y)
    s = logits - logits.max(axis=1, keepdims=True)
    log_probs = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    loss = -np.mean(log_probs[np.arange(N), y])
    delta = np.exp(log_probs)
    delta[np.arange(N), y] -= 1
    delta /= N
    grads = []
    for i in reversed(range(len(params))):
        if i < len(params) - 1:
            delta = delta * derivative(activations[i + 1], activation)
        grads.insert(0, (delta.T @ activations[i], delta.sum(axis=0)))
        delta = delta @ params[i][0]
    return float(loss), grads
