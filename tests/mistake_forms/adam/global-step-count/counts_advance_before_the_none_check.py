"""A count per parameter, but every count advances at each step() before the None check, as if each parameter had been updated."""

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.state = [{"step": 0, "exp_avg": torch.zeros_like(p), "exp_avg_sq": torch.zeros_like(p)} for p in self.params]

    def apply_decay(self, p, grad):
        return grad.add(p, alpha=self.weight_decay)

    @torch.no_grad()
    def step(self):
        beta1, beta2 = self.betas
        for p, state in zip(self.params, self.state):
            state["step"] += 1
            if p.grad is None:
                continue
            grad = self.apply_decay(p, p.grad)
            state["exp_avg"].lerp_(grad, 1 - beta1)
            state["exp_avg_sq"].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            m_hat = state["exp_avg"] / (1 - beta1 ** state["step"])
            v_hat = state["exp_avg_sq"] / (1 - beta2 ** state["step"])
            p.addcdiv_(m_hat, v_hat.sqrt().add(self.eps), value=-self.lr)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class AdamW(Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)

    def apply_decay(self, p, grad):
        p.mul_(1 - self.lr * self.weight_decay)
        return grad
