"""Differences flattened and summed then divided by numel, d·d for the square, |d| as torch.maximum(d, −d), Huber with torch.where on |d| <= δ."""

import torch


def _diff(pred, target):
    return (pred - target).reshape(-1)  # (n,)


def mse_loss(pred, target):
    d = _diff(pred, target)
    return (d * d).sum() / d.numel()


def _abs(d):
    return torch.maximum(d, -d)  # at d = 0 the tie splits the gradient, ½ − ½ = 0, as sign(0)


def l1_loss(pred, target):
    d = _diff(pred, target)
    return _abs(d).sum() / d.numel()


def huber_loss(pred, target, delta=1.0):
    d = _diff(pred, target)
    a = _abs(d)
    per_element = torch.where(a <= delta, 0.5 * d * d, delta * a - 0.5 * delta * delta)  # equal at |d| = δ
    return per_element.sum() / d.numel()
