"""Reference for `regression_losses`: mean squared error, mean absolute error, Huber."""

import torch


def mse_loss(pred, target):
    return ((pred - target) ** 2).mean()


def l1_loss(pred, target):
    return (pred - target).abs().mean()  # abs' gradient is sign(d): 0 at d = 0, as PyTorch's


def huber_loss(pred, target, delta=1.0):
    d = (pred - target).abs()
    quadratic = 0.5 * d**2  # |d| < δ: like MSE
    linear = delta * (d - 0.5 * delta)  # |d| >= δ: like L1, slope δ; both are ½δ² at |d| = δ
    return torch.where(d < delta, quadratic, linear).mean()
