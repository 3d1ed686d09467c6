"""State in a dict keyed by the parameter (self.state[p]), created lazily; updates on p.data with add_, addcmul_ and addcdiv_ as torch.optim writes them."""

import torch


class _Base:
    def __init__(self, params):
        self.params = list(params)
        self.state = {}

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def step(self):
        for p in self.params:
            if p.grad is not None:
                self._update(p.data, p.grad.data, self.state.setdefault(p, {}))


class SGD(_Base):
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(params)
        self.lr, self.momentum, self.nesterov, self.weight_decay = lr, momentum, nesterov, weight_decay

    def _update(self, p, grad, state):
        if self.weight_decay != 0:
            grad = grad.add(p, alpha=self.weight_decay)
        if self.momentum != 0:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = torch.clone(grad).detach()
            else:
                state["momentum_buffer"].mul_(self.momentum).add_(grad)
            buf = state["momentum_buffer"]
            grad = grad.add(buf, alpha=self.momentum) if self.nesterov else buf
        p.add_(grad, alpha=-self.lr)


class Adagrad(_Base):
    def __init__(self, params, lr=1e-2, eps=1e-10):
        super().__init__(params)
        self.lr, self.eps = lr, eps

    def _update(self, p, grad, state):
        total = state.setdefault("sum", torch.zeros_like(p))
        total.addcmul_(grad, grad, value=1)
        p.addcdiv_(grad, total.sqrt().add_(self.eps), value=-self.lr)


class RMSprop(_Base):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        super().__init__(params)
        self.lr, self.alpha, self.eps = lr, alpha, eps

    def _update(self, p, grad, state):
        square_avg = state.setdefault("square_avg", torch.zeros_like(p))
        square_avg.mul_(self.alpha).addcmul_(grad, grad, value=1 - self.alpha)
        p.addcdiv_(grad, square_avg.sqrt().add_(self.eps), value=-self.lr)
