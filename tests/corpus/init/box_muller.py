"""Normals built from rng.random uniforms by the Box–Muller transform, both the cosine and the sine halves used."""

import math

import numpy as np


def _standard_normal(count, rng):
    pairs = (count + 1) // 2
    u1 = 1.0 - rng.random(pairs)  # (0, 1]: log(u1) is finite
    u2 = rng.random(pairs)
    radius = np.sqrt(-2.0 * np.log(u1))
    angle = 2.0 * math.pi * u2
    return np.concatenate([radius * np.cos(angle), radius * np.sin(angle)])[:count]


def _normal(n_in, n_out, std, rng):
    return std * _standard_normal(n_out * n_in, rng).reshape(n_out, n_in)


def xavier_normal(n_in, n_out, rng):
    return _normal(n_in, n_out, math.sqrt(2.0 / (n_in + n_out)), rng)


def he_normal(n_in, n_out, rng):
    return _normal(n_in, n_out, math.sqrt(2.0 / n_in), rng)
