"""Cases for `lr_schedules`: five functions from a step (or epoch) number to a learning rate.

A case gives the schedule's hyperparameters and, for its step argument (`epoch` or `t`), the
list 0, 1, ..., n - 1. `run` calls the function once per value, by keyword, and returns the
rates as one array `lr`, so a failure names `lr[t]`: the rate at step (epoch) t.
"""

from __future__ import annotations

import numbers

import numpy as np

from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

STEP_ARGUMENT = {"step_decay": "epoch", "exponential_decay": "epoch"}  # the others take `t`


def run(impl, case, args):
    name = STEP_ARGUMENT.get(case.call, "t")
    function = getattr(impl, case.call)
    hyper = {k: v for k, v in args.items() if k != name}
    rates = []
    for t in args[name]:
        lr = function(**{name: t}, **hyper)
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
            raise ProtocolError(
                f"{case.call}({name}={t}, ...) returned {type(lr).__module__}.{type(lr).__name__}; "
                "return a plain Python float (no tensors, no arrays)"
            )
        rates.append(float(lr))
    return np.asarray(rates, dtype=np.float64)


def _case(call, name, count, note="", **hyper):
    step = STEP_ARGUMENT.get(call, "t")
    shown = ", ".join(f"{k}={v!r}" for k, v in hyper.items())
    return Case(
        name=f"{call}({step} = 0..{count - 1}, {shown}){': ' + name if name else ''}",
        call=call,
        args={step: list(range(count)), **hyper},
        outputs=("lr",),
        note=note,
    )


def cases(rng: np.random.Generator) -> list[Case]:
    del rng  # schedules are deterministic: the cases are chosen, not drawn
    return [
        _case("step_decay", "", 13, lr0=0.1, gamma=0.5, step_size=3,
              note="StepLR: η₀·γ^⌊epoch/step_size⌋, constant within each block of step_size epochs"),
        _case("step_decay", "step_size 1", 6, lr0=1.0, gamma=0.1, step_size=1),
        _case("step_decay", "long blocks", 31, lr0=0.05, gamma=0.9, step_size=7,
              note="epochs 0..6 keep η₀: the first decay happens at epoch = step_size"),
        _case("exponential_decay", "", 21, lr0=0.1, gamma=0.9,
              note="ExponentialLR: η₀·γ^epoch, and epoch 0 is η₀ itself"),
        _case("exponential_decay", "fast", 11, lr0=1.0, gamma=0.5),
        _case("exponential_decay", "gamma 1 is constant", 4, lr0=3e-4, gamma=1.0),
        _case("cosine_annealing", "", 11, T=10, lr_max=0.1,
              note="η_min + (η_max - η_min)(1 + cos(πt/T))/2: η_max at t = 0, η_min at t = T"),
        _case("cosine_annealing", "lr_min > 0", 101, T=100, lr_max=1.0, lr_min=0.01,
              note="the cosine spans η_max - η_min and sits on η_min"),
        _case("cosine_annealing", "T = 1", 2, T=1, lr_max=0.5, lr_min=0.1,
              note="t = 0 and t = T only: η_max, then η_min"),
        _case("cosine_annealing", "odd T", 8, T=7, lr_max=2e-3, lr_min=1e-5),
        _case("linear_warmup", "", 11, warmup_steps=5, lr_max=0.1,
              note="η_max·t/warmup_steps for t < warmup_steps (0 at t = 0), then η_max"),
        _case("linear_warmup", "long warmup", 121, warmup_steps=100, lr_max=1e-3),
        _case("linear_warmup", "one warmup step", 4, warmup_steps=1, lr_max=0.5,
              note="t = 0 is the only warm-up step: 0, then η_max"),
        _case("linear_warmup", "no warmup", 3, warmup_steps=0, lr_max=0.5,
              note="warmup_steps = 0: no t is < 0, so η_max from t = 0 on (and nothing to divide by 0)"),
        _case("one_cycle", "defaults", 100, total_steps=100, max_lr=0.1,
              note="pct_start 0.3: max_lr at t = 0.3·100 - 1 = 29, min_lr = max_lr/25/1e4 at t = 99"),
        _case("one_cycle", "fractional peak", 10, total_steps=10, max_lr=1.0, pct_start=0.25, div_factor=10.0,
              final_div_factor=100.0,
              note="the peak is at t = 0.25·10 - 1 = 1.5, between two steps: t = 1 is still in phase 1 "
              "(pct = 1/1.5 of the way up), t = 2 is in phase 2 (pct = 0.5/7.5 of the way down)"),
        _case("one_cycle", "half up, half down", 7, total_steps=7, max_lr=0.5, pct_start=0.5,
              note="peak at 0.5·7 - 1 = 2.5"),
        _case("one_cycle", "transformer-like", 1000, total_steps=1000, max_lr=3e-4, pct_start=0.1,
              note="both phases follow half a cosine (anneal_strategy='cos'), the warm-up too"),
        _case("one_cycle", "strong final decay", 50, total_steps=50, max_lr=2.0, pct_start=0.4, div_factor=5.0,
              final_div_factor=1e3),
    ]
