"""Cases for `optimizers`: SGD(params, lr, ...), Adagrad(params, ...), RMSprop(params, ...).

The protocol is the `adam` kata's, reused from its checks: a case holds the initial
parameters, one list of gradients per step (None where a parameter gets no gradient that
step) and the constructor's keyword arguments; `run` plays the training loop (set every
`p.grad`, `step()`, record the parameters, `zero_grad()`) and returns each parameter's
trajectory, `(steps + 1, *shape)` with row 0 the initial value, and whether every
`zero_grad()` left the gradients None or zero.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks.adam import _case as trajectory_case
from dlprep.grading.checks.adam import _every, run  # noqa: F401 - `run` is this kata's protocol too
from dlprep.grading.spec import Case


def cases(rng: np.random.Generator) -> list[Case]:
    skipped = {(0, 1), (4, 0), (5, 0), (6, 0), (9, 2), (10, 1)}
    zeros = {(1, 0), (2, 0), (7, 1), (8, 1)}
    return [
        # SGD
        trajectory_case(rng, "SGD, plain (momentum 0)", "SGD", [(3, 4), (5,), (2, 1, 3)], 10, lr=0.1,
                        note="θ = θ - ηg: no state at all"),
        trajectory_case(rng, "SGD, momentum 0.9", "SGD", [(4, 3), (6,)], 15, lr=0.05, momentum=0.9,
                        note="v = μv + g with v = g at the first step (no (1-μ) damping), θ = θ - ηv"),
        trajectory_case(rng, "SGD, momentum 0.9, nesterov", "SGD", [(3, 3), (4,)], 15, lr=0.05, momentum=0.9,
                        nesterov=True,
                        note="PyTorch's Nesterov: θ = θ - η(g + μv), with v already updated by this step's g"),
        trajectory_case(rng, "SGD, momentum 0.8, weight_decay 0.1", "SGD", [(5, 2), (3,)], 15, lr=0.1, momentum=0.8,
                        weight_decay=0.1,
                        note="L2: λθ is added to g before the momentum buffer, so v accumulates the decay too"),
        trajectory_case(rng, "SGD, weight_decay 0.05, no momentum", "SGD", [(4,), (2, 3)], 10, lr=0.2,
                        weight_decay=0.05, note="g = ∇L + λθ"),
        trajectory_case(rng, "SGD, momentum, some grads None, zero gradients", "SGD", [(2, 3), (4,), (3, 1)], 14,
                        none=skipped, zero=zeros, lr=0.05, momentum=0.9, weight_decay=0.01,
                        note="a parameter whose .grad is None is skipped: neither θ nor v move, not even by μv; "
                        "a zero gradient is a gradient: v decays and θ keeps moving"),
        trajectory_case(rng, "SGD, all gradients zero after 3 steps", "SGD", [(3, 2), (2,)], 12,
                        zero={(t, i) for t in range(3, 12) for i in range(2)}, lr=0.1, momentum=0.5,
                        note="with zero gradients θ still moves by ηv while v decays geometrically"),
        trajectory_case(rng, "SGD, float32, nesterov, weight_decay", "SGD", [(8, 4), (3,), (1,)], 20,
                        dtype="float32", lr=0.02, momentum=0.95, nesterov=True, weight_decay=1e-3),
        trajectory_case(rng, "SGD, float32, one 0-d parameter", "SGD", [()], 8, dtype="float32",
                        lr=0.3, momentum=0.7),
        # Adagrad
        trajectory_case(rng, "Adagrad, defaults", "Adagrad", [(3, 4), (5,), (2, 1, 3)], 12,
                        note="defaults lr=1e-2, eps=1e-10"),
        trajectory_case(rng, "Adagrad, lr 0.1, some grads None, zero gradients", "Adagrad", [(2, 3), (4,), (3, 1)],
                        14, none=skipped, zero=zeros | _every(4, 14, 2), lr=0.1,
                        note="G is a sum over every step that had a gradient; a zero gradient leaves G as it is"),
        trajectory_case(rng, "Adagrad, gradients of size 1e-7", "Adagrad", [(4, 3), (5,)], 10, grad_size=1e-7, lr=0.1,
                        note="tiny gradients make √G comparable to √ε: ε goes outside the square root, √G + ε"),
        trajectory_case(rng, "Adagrad, float32, eps 1e-6", "Adagrad", [(6, 5), (4,)], 20, dtype="float32",
                        lr=0.05, eps=1e-6),
        # RMSprop
        trajectory_case(rng, "RMSprop, defaults", "RMSprop", [(3, 4), (5,), (2, 1, 3)], 12,
                        note="defaults lr=1e-2, alpha=0.99, eps=1e-8"),
        trajectory_case(rng, "RMSprop, alpha 0.9, lr 0.01", "RMSprop", [(4, 2), (3,)], 20, lr=0.01, alpha=0.9,
                        note="s = αs + (1-α)g²: α weighs the old average, 1-α the new g²"),
        trajectory_case(rng, "RMSprop, some grads None, zero gradients", "RMSprop", [(2, 3), (4,), (3, 1)], 14,
                        none=skipped, zero=zeros, lr=0.02, alpha=0.8,
                        note="a None gradient skips the parameter (s does not decay); a zero gradient decays s"),
        trajectory_case(rng, "RMSprop, gradients of size 1e-7", "RMSprop", [(4, 3), (5,)], 10, grad_size=1e-7,
                        note="tiny gradients make √s comparable to √ε: ε goes outside the square root, √s + ε"),
        trajectory_case(rng, "RMSprop, float32, alpha 0.95", "RMSprop", [(8, 4), (3,)], 20, dtype="float32",
                        lr=1e-3, alpha=0.95),
    ]
