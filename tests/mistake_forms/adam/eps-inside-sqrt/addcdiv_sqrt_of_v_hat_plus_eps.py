"""m̂ and v̂ as new tensors, the update p.addcdiv_(m̂, torch.sqrt(v̂ + ε)): ε inside the root."""

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.state = [dict(step=0, m=torch.zeros_like(p), v=torch.zeros_like(p)) for p in self.params]

    def gradient(self, p):
        return p.grad.add(p, alpha=self.weight_decay) if self.weight_decay else p.grad

    @torch.no_grad()
    def step(self):
        b1, b2 = self.betas
        for p, s in zip(self.params, self.state):
            if p.grad is None:
                continue
            g = self.gradient(p)
            s["step"] += 1
            s["m"].lerp_(g, 1 - b1)
            s["v"].mul_(b2).add_((1 - b2) * g.square())
            m_hat = s["m"] / (1 - b1 ** s["step"])
            v_hat = s["v"] / (1 - b2 ** s["step"])
            p.addcdiv_(m_hat, torch.sqrt(v_hat + self.eps), value=-self.lr)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class AdamW(Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)

    def gradient(self, p):
        p.mul_(1 - self.lr * self.weight_decay)
        return p.grad
