"""Reference for `backprop`: an MLP's softmax cross-entropy loss and its gradients, by hand."""

import numpy as np


def activate(z, activation):
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    raise ValueError(f"unknown activation {activation!r}: use 'relu', 'tanh' or 'sigmoid'")


def activation_grad(z, activation):
    """g'(z), elementwise."""
    if activation == "relu":
        return (z > 0).astype(z.dtype)  # 0 at z = 0
    if activation == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if activation == "sigmoid":
        s = activate(z, "sigmoid")
        return s * (1.0 - s)
    raise ValueError(f"unknown activation {activation!r}: use 'relu', 'tanh' or 'sigmoid'")


def mlp_loss_and_grads(params, X, y, activation="relu"):
    N = X.shape[0]
    rows = np.arange(N)

    # forward: z = a Wᵀ + b; keep each layer's input and pre-activation for the backward pass
    a, cache = X, []
    for l, (W, b) in enumerate(params):
        z = a @ W.T + b  # (N, n_out)
        cache.append((a, z))
        a = z if l == len(params) - 1 else activate(z, activation)
    logits = a  # (N, C): the last layer is linear

    # softmax cross-entropy, stable: log p = (z - max) - log Σ exp(z - max)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, C)
    loss = -log_probs[rows, y].mean()

    # backward: ∂L/∂logits = (softmax - one_hot(y)) / N, the mean over the batch
    delta = np.exp(log_probs)
    delta[rows, y] -= 1.0
    delta /= N  # (N, C)
    grads = []
    for l in reversed(range(len(params))):
        W, _ = params[l]
        a_prev, z = cache[l]
        if l < len(params) - 1:
            delta = delta * activation_grad(z, activation)  # δˡ = (Wˡ⁺¹)ᵀδˡ⁺¹ ⊙ g'(zˡ)
        grads.append((delta.T @ a_prev, delta.sum(axis=0)))  # (n_out, n_in), (n_out,)
        delta = delta @ W  # (N, n_in): ∂L/∂a of the layer below
    return float(loss), grads[::-1]
