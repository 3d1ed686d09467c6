"""np.floor, np.power, np.cos and np.pi throughout, returning NumPy float64 scalars."""

import numpy as np


def step_decay(epoch, lr0, gamma, step_size):
    return lr0 * np.power(gamma, np.floor(epoch / step_size))


def exponential_decay(epoch, lr0, gamma):
    return lr0 * np.power(gamma, epoch, dtype=np.float64)


def cosine_annealing(t, T, lr_max, lr_min=0.0):
    return lr_min + 0.5 * (lr_max - lr_min) * (1.0 + np.cos(np.pi * t / T))


def linear_warmup(t, warmup_steps, lr_max):
    if warmup_steps == 0:
        return np.float64(lr_max)
    return lr_max * np.minimum(1.0, t / warmup_steps)


def one_cycle(t, total_steps, max_lr, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
    initial = max_lr / div_factor
    floor = initial / final_div_factor
    peak = pct_start * total_steps - 1.0
    if t <= peak:
        start, end, pct = initial, max_lr, t / peak
    else:
        start, end, pct = max_lr, floor, (t - peak) / (total_steps - 1.0 - peak)
    return end + (start - end) * 0.5 * (1.0 + np.cos(np.pi * pct))
