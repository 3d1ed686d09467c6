"""Gradients appended as the backward pass goes down, and returned in that order."""

import numpy as np


class MLP:
    def __init__(self, params, activation):
        self.params, self.activation = params, activation

    def act(self, z):
        return {"relu": np.maximum(z, 0), "tanh": np.tanh(z), "sigmoid": 1 / (1 + np.exp(-z))}[self.activation]

    def act_grad(self, z):
        if self.activation == "relu":
            return (z > 0).astype(float)
        if self.activation == "tanh":
            return 1 - np.tanh(z) ** 2
        return self.act(z) * (1 - self.act(z))

    def loss_and_grads(self, X, y):
        self.cache, a = [], X
        for i, (W, b) in enumerate(self.params):
            z = a @ W.T + b
            self.cache.append((a, z))
            a = z if i == len(self.params) - 1 else self.act(z)
        N = len(y)
        s = a - a.max(axis=1, keepdims=True)
        log_probs = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        delta = np.exp(log_probs)
        delta[np.arange(N), y] -= 1
        delta /= N
        grads = []
        for i in reversed(range(len(self.params))):
            a_prev, z = self.cache[i]
            if i < len(self.params) - 1:
                delta = delta * self.act_grad(z)
            grads.append((delta.T @ a_prev, delta.sum(axis=0)))
            delta = delta @ self.params[i][0]
        return float(-log_probs[np.arange(N), y].mean()), grads


def mlp_loss_and_grads(params, X, y, activation="relu"):
    return MLP(params, activation).loss_and_grads(X, y)
