"""Rates computed with float64 torch scalars (torch.cos, torch.pow, torch.floor_divide) and returned with .item()."""

import math

import torch


def _f(value):
    return torch.tensor(value, dtype=torch.float64)  # 0-dim


def step_decay(epoch, lr0, gamma, step_size):
    blocks = torch.floor_divide(_f(epoch), step_size)
    return (lr0 * torch.pow(_f(gamma), blocks)).item()


def exponential_decay(epoch, lr0, gamma):
    return (lr0 * _f(gamma) ** epoch).item()


def cosine_annealing(t, T, lr_max, lr_min=0.0):
    return (lr_min + (lr_max - lr_min) * (1 + torch.cos(_f(math.pi * t / T))) / 2).item()


def linear_warmup(t, warmup_steps, lr_max):
    if warmup_steps <= 0:
        return float(lr_max)
    return (lr_max * torch.clamp(_f(t / warmup_steps), max=1.0)).item()


def one_cycle(t, total_steps, max_lr, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
    initial_lr = max_lr / div_factor
    min_lr = initial_lr / final_div_factor
    peak = pct_start * total_steps - 1
    if t <= peak:
        start, end, pct = initial_lr, max_lr, t / peak
    else:
        start, end, pct = max_lr, min_lr, (t - peak) / (total_steps - 1 - peak)
    return (end + (start - end) / 2 * (torch.cos(_f(math.pi * pct)) + 1)).item()
