"""log-sum-exp computed on the shifted logits, then subtracted from the unshifted ones."""

import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def logsumexp(z, axis):
    m = np.max(z, axis=axis, keepdims=True)
    return np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


def log_softmax(z, axis=-1):
    return z - logsumexp(z, axis)
