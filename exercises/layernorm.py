"""Kata `layernorm`: layer normalisation over the last axis, forward and backward, in NumPy.

No torch: every derivative is yours. Grade with `dlprep grade layernorm`.
"""

import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    """Layer normalisation of each row of x over its D features, as F.layer_norm(x, (D,), gamma, beta, eps).

    For every row x (the last axis; all other axes are batch, time, heads, ...):
        μ = (1/D) Σⱼ xⱼ                σ² = (1/D) Σⱼ (xⱼ − μ)²          one per row
        x̂ = (x − μ) / √(σ² + ε)        y = γ ⊙ x̂ + β                    (..., D)

    Args:
        x: (..., D); there may be any number of leading axes, including none.
        gamma, beta: (D,) scale and shift, shared by every row.
        eps: added to the variance, inside the square root.

    Returns:
        (out, cache): out (..., D), same dtype as x; cache, anything you like, is what
        layernorm_backward receives. Do not modify x, gamma or beta.
    """
    raise NotImplementedError


def layernorm_backward(dout, cache):
    """Gradients of a loss L given dout = ∂L/∂out.

    ∂L/∂β and ∂L/∂γ = Σ dout ⊙ x̂ sum over every leading axis (γ and β are shared by all
    rows). A row's μ and σ² depend on all D of its features, so ∂L/∂x takes the paths
    through them too.

    Args:
        dout: (..., D) upstream gradient, shaped like x (read-only).
        cache: what your layernorm_forward returned.

    Returns:
        (dx, dgamma, dbeta): (..., D), (D,), (D,).
    """
    raise NotImplementedError
