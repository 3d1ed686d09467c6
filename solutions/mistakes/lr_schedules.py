"""Mistakes interviewers see in learning-rate schedules.

Each mistake replaces the one function it concerns. `_one_cycle(...)` builds a 1cycle
schedule with one thing changed.
"""

import math

from dlprep.grading.spec import mistake


def _linear(start, end, pct):
    return start + (end - start) * pct


def _cosine(start, end, pct):
    return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)


def _one_cycle(*, up=_cosine, down=_cosine, min_from_max=False, offset=1):
    """offset: 1 as PyTorch (peak at pct_start·total - 1, end at total - 1), 0 without the -1."""

    def one_cycle(t, total_steps, max_lr, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
        initial_lr = max_lr / div_factor
        min_lr = (max_lr if min_from_max else initial_lr) / final_div_factor
        peak = pct_start * total_steps - offset
        last = total_steps - offset
        if t <= peak:
            return up(initial_lr, max_lr, t / peak)
        return down(max_lr, min_lr, (t - peak) / (last - peak))

    return one_cycle


def _step_decay_no_floor(epoch, lr0, gamma, step_size):
    return lr0 * gamma ** (epoch / step_size)


def _exponential_off_by_one(epoch, lr0, gamma):
    return lr0 * gamma ** (epoch + 1)


def _cosine_missing_half(t, T, lr_max, lr_min=0.0):
    return lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * t / T))


def _cosine_over_t_minus_1(t, T, lr_max, lr_min=0.0):
    return lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * t / (T - 1))) / 2


def _cosine_amplitude_lr_max(t, T, lr_max, lr_min=0.0):
    return lr_min + lr_max * (1 + math.cos(math.pi * t / T)) / 2


def _warmup_off_by_one(t, warmup_steps, lr_max):
    return lr_max * (t + 1) / warmup_steps if t < warmup_steps else lr_max


def _warmup_no_cap(t, warmup_steps, lr_max):
    return lr_max * t / warmup_steps if warmup_steps > 0 else lr_max


MISTAKES = [
    mistake(
        "step-decay-no-floor",
        "step_decay uses the guide's formula literally, η₀·γ^(epoch/step_size), which decays "
        "smoothly every epoch. StepLR decays in steps: the exponent is the number of completed "
        "blocks, ⌊epoch/step_size⌋ (`epoch // step_size`), so the rate stays η₀ for epochs "
        "0..step_size-1 and drops by γ at each multiple of step_size.",
        step_decay=_step_decay_no_floor,
    ),
    mistake(
        "exponential-off-by-one",
        "exponential_decay returns η₀·γ^(epoch+1): the first epoch already runs at η₀·γ. "
        "Epochs count from 0, and epoch 0 trains at η₀ itself: η = η₀·γ^epoch.",
        exponential_decay=_exponential_off_by_one,
    ),
    mistake(
        "cosine-missing-half",
        "cosine_annealing drops the /2: (1 + cos(πt/T)) runs from 2 to 0, so the rate starts at "
        "2η_max - η_min. The guide's η_min + (η_max - η_min)(1 + cos(πt/T))/2 starts at η_max "
        "and ends at η_min.",
        cosine_annealing=_cosine_missing_half,
    ),
    mistake(
        "cosine-t-over-T-minus-1",
        "cosine_annealing uses cos(πt/(T-1)), reaching η_min one step early (and dividing by zero "
        "for T = 1). CosineAnnealingLR's T_max is the step at which η_min is reached: cos(πt/T), "
        "η_max at t = 0 and η_min at t = T.",
        cosine_annealing=_cosine_over_t_minus_1,
    ),
    mistake(
        "cosine-amplitude-lr-max",
        "cosine_annealing adds η_max·(1 + cos(πt/T))/2 on top of η_min, so it starts at "
        "η_max + η_min. The cosine spans the range between the two: η_min + (η_max - η_min)·"
        "(1 + cos(πt/T))/2.",
        cosine_annealing=_cosine_amplitude_lr_max,
    ),
    mistake(
        "warmup-off-by-one",
        "linear_warmup uses (t+1)/warmup_steps, so t = 0 already gets η_max/warmup_steps and η_max "
        "is reached one step early. That convention exists (LinearLR(start_factor=1/w, "
        "total_iters=w-1) gives it), but this kata follows the guide: η_max·t/warmup_steps for "
        "t < warmup_steps, with t counting from 0, so the very first step has rate 0.",
        linear_warmup=_warmup_off_by_one,
    ),
    mistake(
        "warmup-no-cap",
        "linear_warmup keeps growing after the warm-up: η_max·t/warmup_steps is only for "
        "t < warmup_steps; from t = warmup_steps on the rate is η_max.",
        linear_warmup=_warmup_no_cap,
    ),
    mistake(
        "one-cycle-linear-phases",
        "one_cycle ramps linearly in both phases (OneCycleLR's anneal_strategy='linear'). The "
        "default, and this kata's contract, is anneal_strategy='cos': each phase follows half a "
        "cosine, end + (start - end)(1 + cos(π·pct))/2, with pct going from 0 to 1 over the phase.",
        one_cycle=_one_cycle(up=_linear, down=_linear),
    ),
    mistake(
        "one-cycle-linear-warmup",
        "one_cycle warms up linearly and only decays along a cosine, as the guide's description "
        "(\"linear warmup to max, cosine decay to min\") suggests. PyTorch's OneCycleLR with "
        "anneal_strategy='cos' uses half a cosine for the warm-up too: "
        "max_lr + (initial_lr - max_lr)(1 + cos(π·t/peak))/2, which starts and ends flat.",
        one_cycle=_one_cycle(up=_linear),
    ),
    mistake(
        "one-cycle-min-lr-from-max",
        "one_cycle ends at max_lr/final_div_factor. OneCycleLR's floor is relative to the starting "
        "rate: initial_lr = max_lr/div_factor and min_lr = initial_lr/final_div_factor "
        "(= max_lr/25/1e4 with the defaults).",
        one_cycle=_one_cycle(min_from_max=True),
    ),
    mistake(
        "one-cycle-boundaries-off-by-one",
        "one_cycle puts the peak at pct_start·total_steps and the end at total_steps. Steps are "
        "numbered 0..total_steps-1, and OneCycleLR reaches max_lr at step pct_start·total_steps - 1 "
        "and min_lr at the last step, total_steps - 1.",
        one_cycle=_one_cycle(offset=0),
    ),
]
