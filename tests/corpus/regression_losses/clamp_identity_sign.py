"""torch.square / torch.mean, |d| written as d·sign(d), Huber by the clamp identity ½q² + δ(|d| − q) with q = min(|d|, δ)."""

import torch


def mse_loss(pred, target):
    return torch.mean(torch.square(pred - target))


def l1_loss(pred, target):
    d = pred - target
    return torch.mean(d * torch.sign(d))  # slope sign(d): 0 where d = 0


def huber_loss(pred, target, delta=1.0):
    a = torch.abs(pred - target)
    q = torch.clamp(a, max=delta)  # the quadratic part saturates at δ; the rest is linear with slope δ
    return torch.mean(0.5 * q ** 2 + delta * (a - q))
