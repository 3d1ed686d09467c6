"""Slice by slice with Python's math: math.exp of a large logit raises OverflowError."""

import math

import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    rows = np.moveaxis(z, axis, -1)
    out = np.empty_like(rows)
    for index in np.ndindex(rows.shape[:-1]):
        row = rows[index]
        out[index] = row - math.log(sum(math.exp(v) for v in row))
    return np.moveaxis(out, -1, axis)
