"""A per-parameter moments class (m, v, t), torch.addcmul / torch.addcdiv out of place, a shared update function with a decoupled flag, zero_grad zeroing in place."""

import torch


class _Moments:
    __slots__ = ("m", "v", "t")

    def __init__(self, p):
        self.m = torch.zeros_like(p)
        self.v = torch.zeros_like(p)
        self.t = 0


def _adam_update(p, g, moments, lr, betas, eps, weight_decay, decoupled):
    beta1, beta2 = betas
    if decoupled:
        p.mul_(1.0 - lr * weight_decay)
    else:
        g = g + weight_decay * p
    moments.t += 1
    moments.m = torch.add(beta1 * moments.m, g, alpha=1.0 - beta1)
    moments.v = torch.addcmul(beta2 * moments.v, g, g, value=1.0 - beta2)
    m_hat = moments.m / (1.0 - beta1 ** moments.t)
    v_hat = moments.v / (1.0 - beta2 ** moments.t)
    p.copy_(torch.addcdiv(p, m_hat, v_hat.sqrt() + eps, value=-lr))


class Adam:
    decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.moments = [_Moments(p) for p in self.params]

    def step(self):
        with torch.no_grad():
            for p, moments in zip(self.params, self.moments):
                if p.grad is not None:
                    _adam_update(p, p.grad, moments, self.lr, self.betas, self.eps, self.weight_decay, self.decoupled)

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.detach_()
                p.grad.zero_()


class AdamW(Adam):
    decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)
