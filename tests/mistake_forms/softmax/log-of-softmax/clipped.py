"""log(max(p, 1e-12)): no warning and no −inf, but log 1e-12 where the probability underflows."""

import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    return np.log(np.maximum(softmax(z, axis=axis), 1e-12))
