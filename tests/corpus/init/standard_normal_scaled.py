"""σ · rng.standard_normal((n_out, n_in)) with σ from math.sqrt."""

import math


def xavier_normal(n_in, n_out, rng):
    return math.sqrt(2.0 / (n_in + n_out)) * rng.standard_normal((n_out, n_in))


def he_normal(n_in, n_out, rng):
    return math.sqrt(2.0 / n_in) * rng.standard_normal((n_out, n_in))
