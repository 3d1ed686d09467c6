"""One base class with a per-parameter update hook, state keyed by index in dicts, momentum started from zeros (μ·0 + g = g), torch.lerp for RMSprop's average."""

import torch


class _Optimizer:
    def __init__(self, params, **hyper):
        self.params = list(params)
        self.hyper = hyper
        self.state = {}

    @torch.no_grad()
    def step(self):
        for index, p in enumerate(self.params):
            if p.grad is None:
                continue  # no gradient, no update: the state waits too
            if index not in self.state:
                self.state[index] = self.init_state(p)
            self.update(p, p.grad, self.state[index], **self.hyper)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class SGD(_Optimizer):
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(params, lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay)

    def init_state(self, p):
        return {"v": torch.zeros_like(p)}

    def update(self, p, g, state, lr, momentum, nesterov, weight_decay):
        g = g + weight_decay * p
        if momentum != 0:
            state["v"] = momentum * state["v"] + g  # from zeros, the first buffer is exactly g
            g = g + momentum * state["v"] if nesterov else state["v"]
        p -= lr * g


class Adagrad(_Optimizer):
    def __init__(self, params, lr=1e-2, eps=1e-10):
        super().__init__(params, lr=lr, eps=eps)

    def init_state(self, p):
        return {"G": torch.zeros_like(p)}

    def update(self, p, g, state, lr, eps):
        state["G"] += g * g
        p -= lr * g / (state["G"].sqrt() + eps)


class RMSprop(_Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        super().__init__(params, lr=lr, alpha=alpha, eps=eps)

    def init_state(self, p):
        return {"s": torch.zeros_like(p)}

    def update(self, p, g, state, lr, alpha, eps):
        state["s"].lerp_(g * g, 1 - alpha)  # s + (1 − α)(g² − s) = αs + (1 − α)g²
        p -= lr * g / (state["s"].sqrt() + eps)
