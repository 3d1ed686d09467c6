"""keep = rng.random(shape) < 1 − p, the mask built with np.where in x's dtype, np.multiply for both passes."""

import numpy as np


def dropout_forward(x, p, training, rng):
    if not (0.0 <= p < 1.0):
        raise ValueError("dropout needs 0 <= p < 1")
    if training and p > 0.0:
        keep_prob = 1.0 - p
        keep = rng.random(x.shape) < keep_prob
        mask = np.where(keep, x.dtype.type(1.0 / keep_prob), x.dtype.type(0.0))
    else:
        mask = np.ones_like(x)
    return np.multiply(x, mask), mask


def dropout_backward(dout, mask):
    return np.multiply(dout, mask)
