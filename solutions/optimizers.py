"""Reference for `optimizers`: SGD (momentum, Nesterov, L2), Adagrad and RMSprop, as torch.optim.

Per parameter θ with gradient g, skipping parameters whose .grad is None:
    SGD       g = g + λθ;  v = g (first step) or μv + g;  θ = θ - η(g + μv if nesterov else v)
    Adagrad   G = G + g²;                  θ = θ - ηg/(√G + ε)
    RMSprop   s = αs + (1-α)g²;            θ = θ - ηg/(√s + ε)
ε is added outside the square root, as PyTorch does.
"""

import torch


class SGD:
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        self.params = list(params)  # model.parameters() is a generator: read it once
        self.lr, self.momentum, self.nesterov, self.weight_decay = lr, momentum, nesterov, weight_decay
        self.buffers = [None] * len(self.params)  # v, created at each parameter's first step

    @torch.no_grad()  # an optimizer step is not part of the graph
    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue  # unused this step: θ and v stay as they are
            g = p.grad + self.weight_decay * p  # L2: the gradient of (λ/2)‖θ‖²
            if self.momentum != 0:
                if self.buffers[i] is None:
                    self.buffers[i] = g.clone()  # first step: v = g (not μ·0 + (1-μ)g)
                else:
                    self.buffers[i].mul_(self.momentum).add_(g)  # v = μv + g
                v = self.buffers[i]
                g = g + self.momentum * v if self.nesterov else v  # Nesterov: look one momentum step ahead
            p.sub_(self.lr * g)  # in place: the model holds these very tensors

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class Adagrad:
    def __init__(self, params, lr=1e-2, eps=1e-10):
        self.params = list(params)
        self.lr, self.eps = lr, eps
        self.sums = [torch.zeros_like(p) for p in self.params]  # G: every g² so far, like p

    @torch.no_grad()
    def step(self):
        for p, G in zip(self.params, self.sums):
            if p.grad is None:
                continue
            g = p.grad
            G.addcmul_(g, g)  # G = G + g²
            p.sub_(self.lr * g / (G.sqrt() + self.eps))  # ε outside the √

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class RMSprop:
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        self.params = list(params)
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.square_avgs = [torch.zeros_like(p) for p in self.params]  # s: running mean of g²

    @torch.no_grad()
    def step(self):
        for p, s in zip(self.params, self.square_avgs):
            if p.grad is None:
                continue
            g = p.grad
            s.mul_(self.alpha).addcmul_(g, g, value=1 - self.alpha)  # s = αs + (1-α)g²
            p.sub_(self.lr * g / (s.sqrt() + self.eps))  # ε outside the √

    def zero_grad(self):
        for p in self.params:
            p.grad = None
