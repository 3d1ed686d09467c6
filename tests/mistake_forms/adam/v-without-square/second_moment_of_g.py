"""The second moment averaged over g itself instead of g², written with torch.lerp."""

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.state = [[0, torch.zeros_like(p), torch.zeros_like(p)] for p in self.params]

    def _grad(self, p):
        return p.grad + self.weight_decay * p

    @torch.no_grad()
    def step(self):
        b1, b2 = self.betas
        for p, s in zip(self.params, self.state):
            if p.grad is None:
                continue
            g = self._grad(p)
            s[0] += 1
            s[1] = torch.lerp(s[1], g, 1 - b1)
            s[2] = torch.lerp(s[2], g, 1 - b2)
            m_hat = s[1] / (1 - b1 ** s[0])
            v_hat = s[2] / (1 - b2 ** s[0])
            p.sub_(self.lr * m_hat / (torch.sqrt(v_hat) + self.eps))

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class AdamW(Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)

    def _grad(self, p):
        p.mul_(1 - self.lr * self.weight_decay)
        return p.grad
