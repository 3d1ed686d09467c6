"""Reference for `softmax`: numerically stable softmax and log-softmax along one axis, in NumPy."""

import numpy as np


def softmax(z, axis=-1):
    # softmax(z) = softmax(z − c) for any c constant along `axis`: take c = the max of each slice,
    # so exp sees only values ≤ 0 (no overflow) and the largest term is exp(0) = 1 (no 0/0).
    shifted = z - z.max(axis=axis, keepdims=True)  # -inf entries stay -inf, exp(-inf) = 0
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    # log softmax(z)ᵢ = (zᵢ − m) − log Σⱼ exp(zⱼ − m): no exp of a large number, no log of 0
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
