"""Parallel lists of state rebuilt out of place each step, the parameter written back with p.copy_ under a torch.no_grad() block, zero_grad zeroing in place."""

import torch


def _zero_grads(params):
    for p in params:
        if p.grad is not None:
            p.grad.zero_()


class SGD:
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.momentum, self.nesterov, self.weight_decay = lr, momentum, nesterov, weight_decay
        self.velocity = [None for _ in self.params]

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad + self.weight_decay * p
                if self.momentum:
                    v = g if self.velocity[i] is None else self.momentum * self.velocity[i] + g
                    self.velocity[i] = v
                    g = g + self.momentum * v if self.nesterov else v
                p.copy_(p - self.lr * g)

    def zero_grad(self):
        _zero_grads(self.params)


class Adagrad:
    def __init__(self, params, lr=1e-2, eps=1e-10):
        self.params = list(params)
        self.lr, self.eps = lr, eps
        self.G = [torch.zeros_like(p) for p in self.params]

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                self.G[i] = self.G[i] + p.grad ** 2
                p.copy_(p - self.lr * p.grad / (torch.sqrt(self.G[i]) + self.eps))

    def zero_grad(self):
        _zero_grads(self.params)


class RMSprop:
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        self.params = list(params)
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.s = [torch.zeros_like(p) for p in self.params]

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                self.s[i] = self.alpha * self.s[i] + (1 - self.alpha) * p.grad ** 2
                p.copy_(p - self.lr * p.grad / (torch.sqrt(self.s[i]) + self.eps))

    def zero_grad(self):
        _zero_grads(self.params)
