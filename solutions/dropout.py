"""Reference for `dropout`: inverted dropout, forward and backward."""

import numpy as np


def dropout_forward(x, p, training, rng):
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability must satisfy 0 <= p < 1, got {p}")
    if not training or p == 0.0:
        return x.copy(), np.ones_like(x)  # identity: nothing dropped, nothing scaled
    keep = rng.random(x.shape) >= p  # each unit kept with probability 1 - p
    mask = (keep / (1.0 - p)).astype(x.dtype)  # 0 or 1/(1 - p): E[mask] = 1, so E[out] = x
    return x * mask, mask


def dropout_backward(dout, mask):
    return dout * mask  # out = x * mask, so dL/dx = dL/dout * mask
