"""Log-normaliser by the np.logaddexp.reduce ufunc over max-shifted logits; softmax = exp(log_softmax)."""

import numpy as np


def log_softmax(z, axis=-1):
    # shifting first keeps float32 exact near 1e4: z − m is computed before anything is rounded
    shifted = z - np.max(z, axis=axis, keepdims=True)
    # logaddexp(a, b) = max + log1p(exp(−|a − b|)): stable pairwise, and −inf entries add nothing
    return shifted - np.logaddexp.reduce(shifted, axis=axis, keepdims=True)


def softmax(z, axis=-1):
    return np.exp(log_softmax(z, axis=axis))
