"""Layer objects (Linear, activation) with forward/backward, stacked in a list; loss summed with math.fsum."""

import math

import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, a):
        self.a = a
        return a.dot(self.W.T) + self.b

    def backward(self, grad):
        self.dW = grad.T.dot(self.a)
        self.db = grad.sum(axis=0)
        return grad.dot(self.W)


class ReLU:
    def forward(self, z):
        self.active = z > 0
        return z * self.active

    def backward(self, grad):
        return grad * self.active


class Tanh:
    def forward(self, z):
        self.out = np.tanh(z)
        return self.out

    def backward(self, grad):
        return grad * (1.0 - self.out**2)


class Sigmoid:
    def forward(self, z):
        self.out = np.exp(-np.logaddexp(0.0, -z))
        return self.out

    def backward(self, grad):
        return grad * self.out * (1.0 - self.out)


ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid}


def mlp_loss_and_grads(params, X, y, activation="relu"):
    linears = [Linear(W, b) for W, b in params]
    layers = []
    for linear in linears[:-1]:
        layers += [linear, ACTIVATIONS[activation]()]
    layers.append(linears[-1])

    out = X
    for layer in layers:
        out = layer.forward(out)

    N = X.shape[0]
    losses, grad = [], np.empty_like(out)
    for row, label in enumerate(y):
        logits = out[row]
        top = logits.max()
        log_norm = top + math.log(np.exp(logits - top).sum())
        losses.append(log_norm - logits[label])
        grad[row] = np.exp(logits - log_norm)
        grad[row, label] -= 1.0
    grad /= N

    for layer in reversed(layers):
        grad = layer.backward(grad)
    return math.fsum(losses) / N, [(linear.dW, linear.db) for linear in linears]
