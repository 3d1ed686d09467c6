"""Weights drawn in the (n_in, n_out) layout of x @ W with keyword rng.normal, returned transposed (a strided view)."""

import numpy as np


def _normal_transposed(n_in, n_out, variance, rng):
    W_in_out = rng.normal(loc=0.0, scale=np.sqrt(variance), size=(n_in, n_out))
    return W_in_out.T  # (n_out, n_in)


def xavier_normal(n_in, n_out, rng):
    return _normal_transposed(n_in, n_out, 2.0 / (n_in + n_out), rng)


def he_normal(n_in, n_out, rng):
    return _normal_transposed(n_in, n_out, 2.0 / n_in, rng)
