"""Kata `adam`: the Adam and AdamW optimizers.

Implement both classes without `torch.optim` (the whole module is forbidden, so you cannot
subclass `torch.optim.Optimizer`: write plain classes). Grade with `dlprep grade adam`.
"""

import torch


class Adam:
    """Adam with L2 weight decay, as `torch.optim.Adam`.

    For each parameter θ whose gradient g = θ.grad is not None, at *that parameter's*
    step t = 1, 2, ... (a parameter skipped because its grad was None does not advance its t):

        g = g + weight_decay·θ          (L2: the gradient of (λ/2)‖θ‖²)
        m = β₁m + (1-β₁)g               v = β₂v + (1-β₂)g²
        m̂ = m/(1-β₁ᵗ)                   v̂ = v/(1-β₂ᵗ)
        θ = θ - lr·m̂/(√v̂ + ε)          (ε outside the square root)

    m and v start at zero and have θ's shape, dtype and device.

    Args:
        params: an iterable of tensors (a generator, like model.parameters(): read it once).
        lr: η, the learning rate.
        betas: (β₁, β₂).
        eps: ε.
        weight_decay: λ, L2 penalty added to the gradient.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        # Your per-parameter state (m, v, t) goes here.

    def step(self):
        """Update every parameter whose .grad is not None, in place, outside autograd."""
        raise NotImplementedError

    def zero_grad(self):
        """Set every parameter's .grad to None (or to zeros)."""
        raise NotImplementedError


class AdamW:
    """AdamW, as `torch.optim.AdamW`: Adam with decoupled weight decay.

    The same m, v, m̂, v̂ and update as Adam on the loss gradient g alone; the decay is
    applied to θ directly, before the Adam update:

        θ = θ·(1 - lr·weight_decay)
        θ = θ - lr·m̂/(√v̂ + ε)

    Note the default weight_decay = 1e-2. You may subclass your own Adam.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        # Your per-parameter state (m, v, t) goes here.

    def step(self):
        """Update every parameter whose .grad is not None, in place, outside autograd."""
        raise NotImplementedError

    def zero_grad(self):
        """Set every parameter's .grad to None (or to zeros)."""
        raise NotImplementedError
