"""Layer objects with forward and backward; the loss is a sum over the batch, the gradients a mean."""

import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W.T + self.b

    def backward(self, dout):
        self.dW, self.db = dout.T @ self.x, dout.sum(axis=0)
        return dout @ self.W


class Activation:
    def __init__(self, kind):
        self.kind = kind

    def forward(self, z):
        self.out = {"relu": np.maximum(z, 0.0), "tanh": np.tanh(z), "sigmoid": 1.0 / (1.0 + np.exp(-z))}[self.kind]
        self.z = z
        return self.out

    def backward(self, dout):
        local = {"relu": (self.z > 0).astype(float), "tanh": 1.0 - self.out**2, "sigmoid": self.out * (1.0 - self.out)}
        return dout * local[self.kind]


def mlp_loss_and_grads(params, X, y, activation="relu"):
    linears = [Linear(W, b) for W, b in params]
    layers = []
    for i, linear in enumerate(linears):
        layers.append(linear)
        if i < len(linears) - 1:
            layers.append(Activation(activation))
    out = X
    for layer in layers:
        out = layer.forward(out)
    shifted = out - out.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    N = len(y)
    loss = -np.sum(log_probs[np.arange(N), y])
    dout = np.exp(log_probs)
    dout[np.arange(N), y] -= 1
    dout /= N
    for layer in reversed(layers):
        dout = layer.backward(dout)
    return float(loss), [(linear.dW, linear.db) for linear in linears]
