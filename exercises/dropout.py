"""Kata `dropout`: inverted dropout, forward and backward, in NumPy.

Draw every random number from the `rng` argument (a np.random.Generator): never from
np.random.* or a generator of your own. No torch. Grade with `dlprep grade dropout`.
"""

import numpy as np


def dropout_forward(x, p, training, rng):
    """Inverted dropout.

    In training, each unit is dropped (set to 0) independently with probability p and the
    units kept are scaled by 1/(1 − p), so that E[out] = x and evaluation needs no change:

        mask = keep / (1 − p)      keep ~ Bernoulli(1 − p), one draw per element of x
        out  = x · mask

    When not training, or when p = 0, dropout is the identity: out = x, mask all ones.

    Args:
        x: array of any shape (float64 or float32). Read-only.
        p: probability of *dropping* a unit (PyTorch's convention); raise ValueError
            unless 0 <= p < 1, in training and in eval alike.
        training: bool.
        rng: a np.random.Generator (np.random.default_rng(seed)): the only source of randomness.

    Returns:
        (out, mask): both with x's shape and dtype. `mask` is the *scaled* mask, 0 where a
        unit was dropped and 1/(1 − p) where it was kept (all ones when nothing is dropped),
        so that out = x · mask and dropout_backward needs no p.
    """
    raise NotImplementedError


def dropout_backward(dout, mask):
    """Gradient of the loss with respect to x, given its gradient dout with respect to out.

    Args:
        dout: ∂L/∂out, the shape of x. Read-only.
        mask: the scaled mask dropout_forward returned (0 or 1/(1 − p), or all ones).

    Returns:
        dx = ∂L/∂x, with dout's shape and dtype.
    """
    raise NotImplementedError
