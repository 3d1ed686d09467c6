"""Kata `optimizers`: SGD with momentum and Nesterov, Adagrad and RMSprop.

Implement the three classes without `torch.optim` (the whole module is forbidden, so you
cannot subclass `torch.optim.Optimizer`: write plain classes). Trajectories must equal
torch.optim's step for step. Grade with `dlprep grade optimizers`.
"""

import torch


class SGD:
    """Stochastic gradient descent, as `torch.optim.SGD` (dampening 0).

    For each parameter θ whose gradient g = θ.grad is not None:

        g = g + weight_decay·θ              (L2: the gradient of (λ/2)‖θ‖²)
        if momentum μ != 0:
            v = g                  at this parameter's first step (no (1-μ) factor)
            v = μv + g             afterwards
            g = g + μv  if nesterov, else  g = v
        θ = θ - lr·g

    The guide's Nesterov, v = μv + ∇L(θ - μv), needs the gradient at a look-ahead point;
    PyTorch's form above is the same method written for the parameters at that look-ahead
    point (see the statement: `dlprep statement optimizers`).

    Args:
        params: an iterable of tensors (a generator, like model.parameters(): read it once).
        lr: η, the learning rate (no default).
        momentum: μ.
        nesterov: use Nesterov momentum (only meaningful with momentum > 0).
        weight_decay: λ, L2 penalty added to the gradient.
    """

    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.momentum, self.nesterov, self.weight_decay = lr, momentum, nesterov, weight_decay
        # Your per-parameter state (the momentum buffer v) goes here.

    def step(self):
        """Update every parameter whose .grad is not None, in place, outside autograd."""
        raise NotImplementedError

    def zero_grad(self):
        """Set every parameter's .grad to None (or to zeros)."""
        raise NotImplementedError


class Adagrad:
    """Adagrad, as `torch.optim.Adagrad`.

    For each parameter θ whose gradient g is not None (G starts at zero, shaped like θ):

        G = G + g²
        θ = θ - lr·g/(√G + ε)          (ε OUTSIDE the square root; the guide writes √(G + ε))

    Args:
        params: an iterable of tensors.
        lr: η.
        eps: ε.
    """

    def __init__(self, params, lr=1e-2, eps=1e-10):
        self.params = list(params)
        self.lr, self.eps = lr, eps
        # Your per-parameter state (G) goes here.

    def step(self):
        """Update every parameter whose .grad is not None, in place, outside autograd."""
        raise NotImplementedError

    def zero_grad(self):
        """Set every parameter's .grad to None (or to zeros)."""
        raise NotImplementedError


class RMSprop:
    """RMSprop, as `torch.optim.RMSprop` (no momentum, not centred).

    For each parameter θ whose gradient g is not None (s starts at zero, shaped like θ):

        s = α·s + (1-α)·g²             (α is the guide's β: the decay of the average)
        θ = θ - lr·g/(√s + ε)          (ε OUTSIDE the square root; the guide writes √(s + ε))

    Args:
        params: an iterable of tensors.
        lr: η.
        alpha: α, the smoothing constant.
        eps: ε.
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        self.params = list(params)
        self.lr, self.alpha, self.eps = lr, alpha, eps
        # Your per-parameter state (s) goes here.

    def step(self):
        """Update every parameter whose .grad is not None, in place, outside autograd."""
        raise NotImplementedError

    def zero_grad(self):
        """Set every parameter's .grad to None (or to zeros)."""
        raise NotImplementedError
