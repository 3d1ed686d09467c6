"""State in a dict keyed by parameter index, the update p.addcdiv_ on the raw moments m and √v: no bias correction."""

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.state = {}

    def _grad(self, p):
        return p.grad + self.weight_decay * p

    @torch.no_grad()
    def step(self):
        beta1, beta2 = self.betas
        for k, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = self._grad(p)
            s = self.state.setdefault(k, {"m": torch.zeros_like(p), "v": torch.zeros_like(p)})
            s["m"].mul_(beta1).add_(g, alpha=1 - beta1)
            s["v"].mul_(beta2).addcmul_(g, g, value=1 - beta2)
            p.addcdiv_(s["m"], s["v"].sqrt().add_(self.eps), value=-self.lr)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class AdamW(Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)

    def _grad(self, p):
        p.mul_(1 - self.lr * self.weight_decay)
        return p.grad
