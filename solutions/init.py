"""Reference for `init`: Xavier (Glorot) and He (Kaiming) normal initialisation."""

import numpy as np


def xavier_normal(n_in, n_out, rng):
    std = np.sqrt(2.0 / (n_in + n_out))  # Var(W) = 2/(n_in + n_out): keeps the variance forward and backward
    return rng.normal(0.0, std, size=(n_out, n_in))  # (n_out, n_in), nn.Linear's layout


def he_normal(n_in, n_out, rng):
    std = np.sqrt(2.0 / n_in)  # Var(W) = 2/n_in: the 2 makes up for ReLU zeroing half the units
    return rng.normal(0.0, std, size=(n_out, n_in))  # (n_out, n_in)
