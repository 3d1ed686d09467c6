"""Recursive chainable forms, each rate from the previous one, as StepLR, ExponentialLR, CosineAnnealingLR step."""

import math


def step_decay(epoch, lr0, gamma, step_size):
    if epoch == 0:
        return lr0
    previous = step_decay(epoch - 1, lr0, gamma, step_size)
    return previous * gamma if epoch % step_size == 0 else previous


def exponential_decay(epoch, lr0, gamma):
    return lr0 if epoch == 0 else gamma * exponential_decay(epoch - 1, lr0, gamma)


def cosine_annealing(t, T, lr_max, lr_min=0.0):
    if t == 0:
        return lr_max
    previous = cosine_annealing(t - 1, T, lr_max, lr_min)
    # CosineAnnealingLR.get_lr: the ratio of successive (1 + cos) factors, applied to the distance to lr_min
    ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
    return lr_min + ratio * (previous - lr_min)


def linear_warmup(t, warmup_steps, lr_max):
    factor = 1.0 if t >= warmup_steps else t / warmup_steps
    return factor * lr_max


def _annealed(start, end, pct):
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def one_cycle(t, total_steps, max_lr, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
    initial = max_lr / div_factor
    minimum = initial / final_div_factor
    peak = float(pct_start * total_steps) - 1
    if t > peak:
        return _annealed(max_lr, minimum, (t - peak) / (total_steps - 1 - peak))
    return _annealed(initial, max_lr, t / peak)
