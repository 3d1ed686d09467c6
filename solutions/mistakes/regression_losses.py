"""Mistakes interviewers see in MSE, MAE and the Huber loss."""

import torch

from dlprep.grading.spec import mistake


def _mse_sum(pred, target):
    return ((pred - target) ** 2).sum()


def _l1_squared(pred, target):
    return ((pred - target).abs() ** 2).mean()


def _l1_sqrt_of_square(pred, target):
    return torch.sqrt((pred - target) ** 2).mean()  # d/dd √(d²) = d/√(d²) = 0/0 at d = 0


def _huber(*, quadratic=lambda d, delta: 0.5 * d**2, linear=lambda d, delta: delta * (d - 0.5 * delta), swapped=False):
    def huber_loss(pred, target, delta=1.0):
        d = (pred - target).abs()
        small, large = quadratic(d, delta), linear(d, delta)
        if swapped:
            small, large = large, small
        return torch.where(d < delta, small, large).mean()

    return huber_loss


MISTAKES = [
    mistake(
        "mse-sum-not-mean",
        "mse_loss sums the squared errors instead of averaging them: the guide's L = (1/n)Σ(y − ŷ)², "
        "and PyTorch's default reduction is the mean. A sum makes the loss and its gradients grow with "
        "the batch size, so the learning rate has to change with it.",
        mse_loss=_mse_sum,
    ),
    mistake(
        "l1-squared",
        "l1_loss squares the absolute error, (1/n)Σ|y − ŷ|², which is the MSE again. MAE is "
        "(1/n)Σ|y − ŷ|, linear in the error: its gradient has constant size 1/n, so outliers pull no "
        "harder than small errors.",
        l1_loss=_l1_squared,
    ),
    mistake(
        "l1-sqrt-of-square",
        "l1_loss computes |d| as √(d²): the value is right, but where the prediction is exactly right "
        "(d = 0) autograd's gradient is 2d/(2√(d²)) = 0/0 = NaN, and the NaN spreads to every weight. "
        "Use d.abs(), whose gradient there is sign(0) = 0, as PyTorch's.",
        l1_loss=_l1_sqrt_of_square,
    ),
    mistake(
        "huber-branch-swapped",
        "The two branches of the Huber loss are swapped: it must be quadratic, ½d², for small errors "
        "(|d| < δ) and linear, δ(|d| − ½δ), for large ones, so that outliers get the constant slope δ "
        "of an L1 loss instead of the growing slope of an L2 loss.",
        huber_loss=_huber(swapped=True),
    ),
    mistake(
        "huber-missing-delta-scale",
        "The linear branch of the Huber loss is |d| − ½δ instead of δ(|d| − ½δ). Without the factor δ "
        "it neither meets the quadratic branch at |d| = δ (½δ vs ½δ²) nor continues its slope (1 vs δ); "
        "the two agree only when δ = 1.",
        huber_loss=_huber(linear=lambda d, delta: d - 0.5 * delta),
    ),
    mistake(
        "huber-is-smooth-l1",
        "This is smooth L1 with beta = δ, ½d²/δ below δ and |d| − ½δ above, not Huber. Smooth L1 is the "
        "Huber loss divided by δ: they coincide only for δ = 1. The guide's Huber is ½d² for |d| < δ and "
        "δ(|d| − ½δ) otherwise, as F.huber_loss.",
        huber_loss=_huber(quadratic=lambda d, delta: 0.5 * d**2 / delta, linear=lambda d, delta: d - 0.5 * delta),
    ),
    mistake(
        "huber-missing-half",
        "The quadratic branch of the Huber loss is d² instead of ½d². With the ½ its slope d meets the "
        "linear branch's slope δ at |d| = δ, and its value ½δ² meets δ(δ − ½δ); without it the loss "
        "jumps there.",
        huber_loss=_huber(quadratic=lambda d, delta: d**2),
    ),
]
