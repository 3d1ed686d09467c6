"""log(softmax(z) + 1e-7), "to avoid log(0)": off wherever a probability is not much above 1e-7."""

import numpy as np


def softmax(z, axis=-1):
    exps = np.exp(z - z.max(axis=axis, keepdims=True))
    return exps / exps.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    return np.log(softmax(z, axis=axis) + 1e-7)
