"""Schedules as classes over a factor function; one cycle walks a phase table as OneCycleLR does."""

import math


class Schedule:
    """lr(t) = base · factor(t), as LambdaLR multiplies the base rate by a factor."""

    def __init__(self, base, factor):
        self.base, self.factor = base, factor

    def __call__(self, t):
        return float(self.base * self.factor(t))


def step_decay(epoch, lr0, gamma, step_size):
    return Schedule(lr0, lambda e: gamma ** (e // step_size))(epoch)


def exponential_decay(epoch, lr0, gamma):
    return Schedule(lr0, lambda e: math.pow(gamma, e))(epoch)


def cosine_annealing(t, T, lr_max, lr_min=0.0):
    span = Schedule(lr_max - lr_min, lambda s: (1 + math.cos(math.pi * s / T)) / 2)
    return lr_min + span(t)


def linear_warmup(t, warmup_steps, lr_max):
    return Schedule(lr_max, lambda s: min(1.0, s / warmup_steps) if warmup_steps else 1.0)(t)


def _cos_anneal(start, end, pct):
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def one_cycle(t, total_steps, max_lr, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
    initial_lr = max_lr / div_factor
    min_lr = initial_lr / final_div_factor
    phases = [
        {"end_step": float(pct_start * total_steps) - 1, "start_lr": initial_lr, "end_lr": max_lr},
        {"end_step": total_steps - 1, "start_lr": max_lr, "end_lr": min_lr},
    ]
    start_step = 0
    for i, phase in enumerate(phases):
        end_step = phase["end_step"]
        if t <= end_step or i == len(phases) - 1:
            pct = (t - start_step) / (end_step - start_step)
            return _cos_anneal(phase["start_lr"], phase["end_lr"], pct)
        start_step = end_step
    raise AssertionError("unreachable: the last phase always answers")
