"""Max shift with np.amax, np.divide / np.subtract ufuncs, −inf entries zeroed through np.where on np.isneginf."""

import numpy as np


def _shifted(z, axis):
    return np.subtract(z, np.amax(z, axis=axis, keepdims=True))


def softmax(z, axis=-1):
    shifted = _shifted(z, axis)
    e = np.where(np.isneginf(shifted), 0.0, np.exp(shifted)).astype(z.dtype)
    return np.divide(e, np.sum(e, axis=axis, keepdims=True))


def log_softmax(z, axis=-1):
    shifted = _shifted(z, axis)
    total = np.sum(np.exp(shifted), axis=axis, keepdims=True)  # ≥ 1: its largest term is exp(0)
    return np.subtract(shifted, np.log(total))
