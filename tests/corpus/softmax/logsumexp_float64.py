"""log-sum-exp computed in float64 (np.asarray(z, dtype=np.float64)); softmax as exp(log_softmax)."""

import numpy as np


def _logsumexp(z, axis):
    m = np.max(z, axis=axis, keepdims=True)  # finite: no slice is all −inf
    return m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


def log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    return z - _logsumexp(z, axis)


def softmax(z, axis=-1):
    return np.exp(log_softmax(z, axis))
