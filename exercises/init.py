"""Kata `init`: Xavier (Glorot) and He (Kaiming) normal initialisation, in NumPy.

Draw every random number from the `rng` argument (a np.random.Generator): never from
np.random.* or a generator of your own. No torch. Grade with `dlprep grade init`.
"""

import numpy as np


def xavier_normal(n_in, n_out, rng):
    """Weights for a layer with n_in inputs and n_out outputs, Xavier/Glorot normal:

        W ~ N(0, σ²)   with   σ² = 2 / (n_in + n_out)

    Args:
        n_in: fan-in, the number of inputs of the layer (int >= 1).
        n_out: fan-out, the number of outputs (int >= 1).
        rng: a np.random.Generator (np.random.default_rng(seed)): the only source of randomness.

    Returns:
        W, float64 array of shape (n_out, n_in) (nn.Linear's layout: y = x @ W.T), every
        entry drawn independently. Note that rng.normal takes the standard deviation σ,
        not the variance σ².
    """
    raise NotImplementedError


def he_normal(n_in, n_out, rng):
    """Weights for a ReLU layer with n_in inputs and n_out outputs, He/Kaiming normal:

        W ~ N(0, σ²)   with   σ² = 2 / n_in      (fan-in only)

    Args:
        n_in: fan-in, the number of inputs of the layer (int >= 1).
        n_out: fan-out, the number of outputs (int >= 1).
        rng: a np.random.Generator: the only source of randomness.

    Returns:
        W, float64 array of shape (n_out, n_in), every entry drawn independently.
    """
    raise NotImplementedError
