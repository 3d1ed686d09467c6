"""axis moved last and flattened to rows; a Python loop normalises one row at a time, then the axes go back."""

import math

import numpy as np


def _row_by_row(z, axis, row_fn):
    moved = np.moveaxis(z, axis, -1)
    rows = moved.reshape(-1, moved.shape[-1])  # (R, C), a copy when needed: z is never written
    out = np.empty_like(rows)
    for r in range(rows.shape[0]):
        out[r] = row_fn(rows[r])
    return np.moveaxis(out.reshape(moved.shape), -1, axis)


def _softmax_row(row):
    e = np.exp(row - row.max())
    return e / e.sum()


def _log_softmax_row(row):
    shifted = row - row.max()
    return shifted - math.log(np.exp(shifted).sum())


def softmax(z, axis=-1):
    return _row_by_row(z, axis, _softmax_row)


def log_softmax(z, axis=-1):
    return _row_by_row(z, axis, _log_softmax_row)
