"""Hand-written nonlinearities that overflow, and how their overflow shows in a grade."""

import numpy as np
import torch


def naive_sigmoid(z):
    return 1 / (1 + torch.exp(-z))  # exp(-z) overflows for very negative z: inf · 0 = NaN in backward


def sigmoid_from_exp(z):
    return torch.exp(z) / (1 + torch.exp(z))  # exp(z) overflows for very positive z: inf / inf = NaN


def non_finite_on_large_inputs(case, outputs):
    """Overflow shows only where inputs are large: non-finite outputs on the cases tagged so."""
    return "large" in case.tags and not all(np.isfinite(value).all() for value in outputs.values())
