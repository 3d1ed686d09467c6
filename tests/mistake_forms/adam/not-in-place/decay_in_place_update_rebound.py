"""AdamW's decay done in place with mul_, but the Adam step assigns a new tensor to the loop variable."""

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.state = [{"t": 0, "m": torch.zeros_like(p), "v": torch.zeros_like(p)} for p in self.params]

    def _gradient(self, p):
        return p.grad + self.weight_decay * p

    def step(self):
        b1, b2 = self.betas
        with torch.no_grad():
            for p, s in zip(self.params, self.state):
                if p.grad is None:
                    continue
                g = self._gradient(p)
                s["t"] += 1
                s["m"].mul_(b1).add_(g, alpha=1 - b1)
                s["v"].mul_(b2).addcmul_(g, g, value=1 - b2)
                update = self.lr * (s["m"] / (1 - b1 ** s["t"])) / ((s["v"] / (1 - b2 ** s["t"])).sqrt() + self.eps)
                p = p - update

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class AdamW(Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)

    def _gradient(self, p):
        p.mul_(1 - self.lr * self.weight_decay)
        return p.grad
