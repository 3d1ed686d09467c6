"""Constants as 0-dim tensors (torch.tensor(delta, dtype=...)), the squared error as a dot product, L1 as torch.linalg.vector_norm(ord=1), Huber by piecewise torch.where."""

import torch


def mse_loss(pred, target):
    d = (pred - target).flatten()
    return torch.dot(d, d) / d.numel()


def l1_loss(pred, target):
    d = pred - target
    return torch.linalg.vector_norm(d, ord=1) / d.numel()


def huber_loss(pred, target, delta=1.0):
    d = pred - target
    delta = torch.tensor(delta, dtype=d.dtype)  # 0-dim: broadcasts on any device
    half = torch.tensor(0.5, dtype=d.dtype)
    a = d.abs()
    quadratic = half * d ** 2
    linear = delta * (a - half * delta)
    return torch.where(a < delta, quadratic, linear).mean()
