"""Reference for `adam`: Adam (L2 weight decay) and AdamW (decoupled weight decay).

Adam, per parameter θ with gradient g, at that parameter's step t = 1, 2, ...:
    m = β₁m + (1-β₁)g          v = β₂v + (1-β₂)g²
    m̂ = m/(1-β₁ᵗ)              v̂ = v/(1-β₂ᵗ)
    θ = θ - η m̂/(√v̂ + ε)
"""

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)  # model.parameters() is a generator: read it once
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        # one state per parameter, shaped (and placed) like it; t counts *its* steps
        self.state = [{"t": 0, "m": torch.zeros_like(p), "v": torch.zeros_like(p)} for p in self.params]

    def decay(self, p, grad):
        """Adam's weight decay is L2: the gradient of (λ/2)‖θ‖² is added to g."""
        return grad + self.weight_decay * p

    @torch.no_grad()  # an optimizer step is not part of the graph
    def step(self):
        beta1, beta2 = self.betas
        for p, state in zip(self.params, self.state):
            if p.grad is None:
                continue  # unused this step: θ, m, v and t all stay as they are
            g = self.decay(p, p.grad)
            state["t"] += 1
            t, m, v = state["t"], state["m"], state["v"]
            m.mul_(beta1).add_(g, alpha=1 - beta1)  # m = β₁m + (1-β₁)g
            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)  # v = β₂v + (1-β₂)g²
            m_hat = m / (1 - beta1**t)  # bias correction: m and v start at 0
            v_hat = v / (1 - beta2**t)
            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))  # ε outside the √

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class AdamW(Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)

    def decay(self, p, grad):
        """Decoupled: shrink θ itself by ηλ, leaving g (and so m and v) alone."""
        p.mul_(1 - self.lr * self.weight_decay)
        return grad
