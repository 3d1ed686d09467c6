"""Kata `regression_losses`: mean squared error, mean absolute error and the Huber loss.

Implement the three losses with mean reduction, giving the values and gradients of
`F.mse_loss`, `F.l1_loss` and `F.huber_loss`, without calling them: every
`torch.nn.functional.*_loss` and every `nn.*Loss` is forbidden. Grade with
`dlprep grade regression_losses`.
"""

import torch


def mse_loss(pred, target):
    """Mean squared error, as F.mse_loss: L = (1/n) Σ (pred − target)².

    Args:
        pred, target: tensors of the same shape (any); n is their number of elements.

    Returns:
        A 0-d tensor. Gradients flow to both pred and target.
    """
    raise NotImplementedError


def l1_loss(pred, target):
    """Mean absolute error, as F.l1_loss: L = (1/n) Σ |pred − target|.

    The gradient with respect to pred is sign(pred − target)/n, which is 0 where
    pred == target exactly (as PyTorch's), not NaN.

    Args:
        pred, target: tensors of the same shape (any).

    Returns:
        A 0-d tensor.
    """
    raise NotImplementedError


def huber_loss(pred, target, delta=1.0):
    """Huber loss, as F.huber_loss(pred, target, delta=delta): with d = pred − target,

        ℓ(d) = ½ d²               if |d| < δ
               δ (|d| − ½ δ)      otherwise
        L = (1/n) Σ ℓ(d)

    Quadratic near 0, linear with slope δ beyond δ; value (½δ²) and slope (±δ)
    agree at |d| = δ. Not smooth_l1 unless δ = 1: smooth_l1 with beta = δ is ℓ(d)/δ.

    Args:
        pred, target: tensors of the same shape (any).
        delta: δ > 0.

    Returns:
        A 0-d tensor.
    """
    raise NotImplementedError
