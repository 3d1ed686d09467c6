"""PyTorch's own layout (step_size = lr / bc₁, denominator √v / √bc₂), with ε added to v under the root; math.sqrt for the corrections."""

import math

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.exp_avg = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]
        self.t = [0] * len(self.params)

    def step(self):
        beta1, beta2 = self.betas
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            grad = p.grad.data + self.weight_decay * p.data
            self.t[i] += 1
            self.exp_avg[i].mul_(beta1).add_(grad, alpha=1 - beta1)
            self.exp_avg_sq[i].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            bias_correction1 = 1 - beta1 ** self.t[i]
            bias_correction2 = 1 - beta2 ** self.t[i]
            denom = (self.exp_avg_sq[i] + self.eps).sqrt() / math.sqrt(bias_correction2)
            p.data.addcdiv_(self.exp_avg[i], denom, value=-self.lr / bias_correction1)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class AdamW:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        self.adam = Adam(params, lr, betas, eps, 0.0)
        self.weight_decay = weight_decay

    def step(self):
        for p in self.adam.params:
            if p.grad is not None:
                p.data.mul_(1 - self.adam.lr * self.weight_decay)
        self.adam.step()

    def zero_grad(self):
        self.adam.zero_grad()
