"""torch.optim's own single-tensor layout: self.state[p] created lazily, the step a 0-dim tensor read with .item(), lerp_ for m, addcdiv_ with step_size and the square root of the second bias correction."""

import math

import torch


class Adam:
    decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.state = {}

    @torch.no_grad()
    def step(self):
        beta1, beta2 = self.betas
        for p in self.params:
            if p.grad is None:
                continue
            grad = p.grad
            if self.decoupled:
                p.mul_(1 - self.lr * self.weight_decay)
            elif self.weight_decay != 0:
                grad = grad.add(p, alpha=self.weight_decay)
            state = self.state.get(p)
            if state is None:
                state = self.state[p] = {
                    "step": torch.tensor(0.0),  # 0-dim on the host, as torch.optim keeps it
                    "exp_avg": torch.zeros_like(p),
                    "exp_avg_sq": torch.zeros_like(p),
                }
            state["step"] += 1
            step = state["step"].item()  # a host tensor: no device sync
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            exp_avg.lerp_(grad, 1 - beta1)  # m = β₁m + (1 − β₁)g
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            step_size = self.lr / (1 - beta1 ** step)
            denom = (exp_avg_sq.sqrt() / math.sqrt(1 - beta2 ** step)).add_(self.eps)  # √v̂ + ε
            p.addcdiv_(exp_avg, denom, value=-step_size)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class AdamW(Adam):
    decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)
