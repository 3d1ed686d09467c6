"""Kata `lr_schedules`: learning-rate schedules as plain functions.

Each function maps a step (or epoch) number to a learning rate: Python numbers in, a Python
float out, no torch (`torch.optim`, and so its lr_scheduler, is forbidden). The values must
equal what `torch.optim.lr_scheduler` sets at that step. Grade with `dlprep grade lr_schedules`.

Steps count from 0: t = 0 (epoch = 0) is the rate of the very first step, as a scheduler's
`last_epoch` right after it is created.
"""

import math


def step_decay(epoch, lr0, gamma, step_size):
    """StepLR: multiply by gamma every step_size epochs.

        η = η₀ · γ^⌊epoch / step_size⌋

    (the guide writes γ^(epoch/step_size); StepLR decays in steps: floor the exponent).
    """
    raise NotImplementedError


def exponential_decay(epoch, lr0, gamma):
    """ExponentialLR: η = η₀ · γ^epoch."""
    raise NotImplementedError


def cosine_annealing(t, T, lr_max, lr_min=0.0):
    """CosineAnnealingLR (T_max = T, eta_min = lr_min), for 0 <= t <= T.

        η = η_min + (η_max - η_min) · (1 + cos(πt/T)) / 2
    """
    raise NotImplementedError


def linear_warmup(t, warmup_steps, lr_max):
    """Linear warm-up from 0, then constant.

        η = η_max · t / warmup_steps     for t < warmup_steps   (so η = 0 at t = 0)
        η = η_max                        for t >= warmup_steps  (warmup_steps may be 0)
    """
    raise NotImplementedError


def one_cycle(t, total_steps, max_lr, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
    """OneCycleLR with anneal_strategy='cos', two phases, for 0 <= t <= total_steps - 1.

        initial_lr = max_lr / div_factor          min_lr = initial_lr / final_div_factor
        peak = pct_start · total_steps - 1        (a float: it may fall between two steps)
        last = total_steps - 1
        cos_anneal(start, end, pct) = end + (start - end) · (1 + cos(π·pct)) / 2

        t <= peak:  η = cos_anneal(initial_lr, max_lr, t / peak)
        t >  peak:  η = cos_anneal(max_lr, min_lr, (t - peak) / (last - peak))
    """
    raise NotImplementedError
