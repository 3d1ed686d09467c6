"""Keep mask from rng.binomial(1, 1 − p), scaled in float64 (no cast back), np.ones for the identity."""

import numpy as np


def dropout_forward(x, p, training, rng):
    if p < 0 or p >= 1:
        raise ValueError(f"p must be in [0, 1), got {p}")
    if not training or p == 0:
        return x.copy(), np.ones(x.shape)
    mask = rng.binomial(1, 1.0 - p, size=x.shape) / (1.0 - p)  # float64: 0 or 1/(1 − p)
    return x * mask, mask


def dropout_backward(dout, mask):
    return dout * mask
