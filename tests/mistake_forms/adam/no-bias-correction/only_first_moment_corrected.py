"""PyTorch's step_size form, lr / (1 - β₁ᵗ), with the second moment's correction left out of the denominator."""

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.steps = [0 for _ in self.params]

    def step(self):
        b1, b2 = self.betas
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.weight_decay and not isinstance(self, AdamW):
                    g = g + self.weight_decay * p
                if isinstance(self, AdamW):
                    p.mul_(1 - self.lr * self.weight_decay)
                self.steps[i] += 1
                self.m[i] = b1 * self.m[i] + (1 - b1) * g
                self.v[i] = b2 * self.v[i] + (1 - b2) * g * g
                step_size = self.lr / (1 - b1 ** self.steps[i])
                p.sub_(step_size * self.m[i] / (self.v[i].sqrt() + self.eps))

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()


class AdamW(Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)
