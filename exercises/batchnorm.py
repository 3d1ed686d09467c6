"""Kata `batchnorm`: batch normalisation of x (N, D), forward and backward, in NumPy.

No torch: every derivative is yours. Grade with `dlprep grade batchnorm`.
"""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    """Batch normalisation of each feature (column) of x, as nn.BatchNorm1d.

    Training (the guide's formulas, over the N samples of the batch, per feature):
        μ = (1/N) Σᵢ xᵢ                σ² = (1/N) Σᵢ (xᵢ − μ)²          (D,)
        x̂ᵢ = (xᵢ − μ) / √(σ² + ε)      yᵢ = γ x̂ᵢ + β                    (N, D)
    and update the running statistics IN PLACE, as PyTorch does (variance unbiased):
        running_mean ← (1 − momentum) running_mean + momentum μ
        running_var  ← (1 − momentum) running_var  + momentum N/(N − 1) σ²
    Eval (training=False): μ, σ² are running_mean, running_var, which stay unchanged.

    Args:
        x: (N, D) batch; N >= 2 in training, any N >= 1 in eval.
        gamma, beta: (D,) scale and shift.
        running_mean, running_var: (D,) running statistics, updated in place in training.
        training: normalise with the batch's statistics (True) or the running ones (False).
        momentum: weight of the new batch in the running statistics.
        eps: added to the variance, inside the square root.

    Returns:
        (out, cache): out (N, D), same dtype as x; cache, anything you like, is what
        batchnorm_backward receives. Do not modify x, gamma or beta.
    """
    raise NotImplementedError


def batchnorm_backward(dout, cache):
    """Gradients of a loss L given dout = ∂L/∂out, after batchnorm_forward in either mode.

    ∂L/∂β = Σᵢ doutᵢ and ∂L/∂γ = Σᵢ doutᵢ ⊙ x̂ᵢ (sums over the batch). In training μ and σ²
    depend on every xᵢ, so ∂L/∂x takes the paths through μ and σ² too; in eval they are
    constants.

    Args:
        dout: (N, D) upstream gradient (read-only).
        cache: what your batchnorm_forward returned.

    Returns:
        (dx, dgamma, dbeta): (N, D), (D,), (D,).
    """
    raise NotImplementedError
