"""Parallel lists m, v and integer step counts, updates on p.data with plain arithmetic, PyTorch's step_size form with math.sqrt, AdamW written out as its own class."""

import math

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.t = [0] * len(self.params)

    def step(self):
        b1, b2 = self.betas
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad.data + self.weight_decay * p.data
            self.t[i] += 1
            self.m[i] = b1 * self.m[i] + (1 - b1) * g
            self.v[i] = b2 * self.v[i] + (1 - b2) * g * g
            step_size = self.lr / (1 - b1 ** self.t[i])
            denom = self.v[i].sqrt() / math.sqrt(1 - b2 ** self.t[i]) + self.eps
            p.data = p.data - step_size * self.m[i] / denom  # p.data rebinds the storage of the same Parameter

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class AdamW:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.t = [0] * len(self.params)

    def step(self):
        b1, b2 = self.betas
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad.data
            self.t[i] += 1
            self.m[i] = b1 * self.m[i] + (1 - b1) * g
            self.v[i] = b2 * self.v[i] + (1 - b2) * g * g
            decayed = p.data * (1 - self.lr * self.weight_decay)  # decoupled: θ shrinks on its own
            step_size = self.lr / (1 - b1 ** self.t[i])
            denom = self.v[i].sqrt() / math.sqrt(1 - b2 ** self.t[i]) + self.eps
            p.data = decayed - step_size * self.m[i] / denom

    def zero_grad(self):
        for p in self.params:
            p.grad = None
