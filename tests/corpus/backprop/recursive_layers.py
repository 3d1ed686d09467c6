"""Recursion over the layers: each call does one layer's forward, recurses, and returns its delta on the way back."""

import numpy as np

ACTIVATIONS = {
    # g(z) and g'(z) written in terms of the activation a = g(z), as the forward pass already has it
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0).astype(a.dtype)),
    "tanh": (np.tanh, lambda a: 1.0 - a * a),
    "sigmoid": (lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)), lambda a: a * (1.0 - a)),
}


def _softmax_cross_entropy(logits, y):
    """Mean loss and its gradient at the logits."""
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_probs = shifted - log_norm  # (N, C)
    probs = np.exp(log_probs)
    probs[np.arange(n), y] -= 1.0
    return -log_probs[np.arange(n), y].mean(), probs / n


def _through(params, layer, a, y, activation, grads):
    """Loss of the network from `layer` on, given its input a; fills grads[layer:], returns (loss, dL/da)."""
    W, b = params[layer]
    z = a @ W.T + b  # (N, n_out)
    if layer == len(params) - 1:
        loss, delta = _softmax_cross_entropy(z, y)
    else:
        g, g_prime = ACTIVATIONS[activation]
        out = g(z)
        loss, d_out = _through(params, layer + 1, out, y, activation, grads)
        delta = d_out * g_prime(out)
    grads[layer] = (delta.T @ a, delta.sum(axis=0))
    return loss, delta @ W


def mlp_loss_and_grads(params, X, y, activation="relu"):
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}")
    grads = [None] * len(params)
    loss, _ = _through(params, 0, X, y, activation, grads)
    return float(loss), grads
