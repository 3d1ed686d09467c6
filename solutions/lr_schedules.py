"""Reference for `lr_schedules`: learning rates as torch.optim.lr_scheduler computes them.

Plain Python floats in and out. t (or epoch) counts the steps (epochs) already taken:
t = 0 is the rate of the very first step, as a scheduler's `last_epoch` after creation.
"""

import math


def step_decay(epoch, lr0, gamma, step_size):
    return lr0 * gamma ** (epoch // step_size)  # StepLR: decays every step_size epochs, floor


def exponential_decay(epoch, lr0, gamma):
    return lr0 * gamma**epoch  # ExponentialLR


def cosine_annealing(t, T, lr_max, lr_min=0.0):
    return lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * t / T)) / 2  # CosineAnnealingLR, 0 <= t <= T


def linear_warmup(t, warmup_steps, lr_max):
    if t < warmup_steps:
        return lr_max * t / warmup_steps  # 0 at t = 0, as the guide's formula
    return lr_max


def _cosine(start, end, pct):
    """From `start` at pct = 0 to `end` at pct = 1, along half a cosine."""
    return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)


def one_cycle(t, total_steps, max_lr, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
    initial_lr = max_lr / div_factor
    min_lr = initial_lr / final_div_factor
    peak = pct_start * total_steps - 1  # the step where max_lr is reached (may be fractional)
    last = total_steps - 1  # the step where min_lr is reached
    if t <= peak:
        return _cosine(initial_lr, max_lr, t / peak)  # phase 1: up
    return _cosine(max_lr, min_lr, (t - peak) / (last - peak))  # phase 2: down
