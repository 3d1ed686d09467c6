"""Cases for `adam`: Adam(params, ...) and AdamW(params, ...), each with step() and zero_grad().

A case holds the initial parameters (several, of different shapes), one list of gradients
per step (None where a parameter gets no gradient that step) and the constructor's keyword
arguments. `run` plays a training loop: set every `p.grad`, `step()`, record the parameters,
`zero_grad()`. It returns each parameter's trajectory, `(steps + 1, *shape)` with row 0 the
initial value, and whether every `zero_grad()` left the gradients None or zero.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from dlprep.grading.spec import Case

OUTPUTS = ("trajectory", "grads_cleared_by_zero_grad")


def run(impl, case, args):
    import torch

    # Copies: the arguments themselves must stay as they were (the grader checks inputs exactly).
    params = [p.detach().clone().requires_grad_() for p in args["params"]]  # leaves, as a model's are
    hyper = {k: v for k, v in args.items() if k not in ("params", "grads")}
    calling = "__init__"
    try:
        optimizer = getattr(impl, case.call)((p for p in params), **hyper)  # a generator, as model.parameters() is
        history = [[p.detach().clone()] for p in params]
        cleared = torch.ones((), dtype=torch.bool, device=params[0].device)
        for grads in args["grads"]:
            for p, g in zip(params, grads):
                p.grad = None if g is None else g.clone()  # zero_grad may zero it in place
            calling = "step"
            optimizer.step()
            for row, p in zip(history, params):
                row.append(p.detach().clone())
            calling = "zero_grad"
            optimizer.zero_grad()
            for p in params:
                if p.grad is not None:
                    cleared = cleared & (p.grad == 0).all()
    except NotImplementedError as exc:
        if calling == "zero_grad":
            raise  # reported under its own name
        # `__init__` or `step` still as in the stub: name the class, not the method
        raise NotImplementedError(case.call) from exc
    return [torch.stack(row) for row in history], cleared


def _case(rng, name, call, shapes, steps, *, dtype="float64", grad_size=1.0, grad_floor=0.0, none=(), zero=(), note="",
          probe="", blame="", **hyper):
    """`none`, `zero`: (step, param) pairs whose gradient is None, or all zeros; `grad_floor`: the least
    magnitude of the others, in units of `grad_size`; `probe`, `blame`: as `Case`'s."""
    params = [np.asarray(rng.standard_normal(shape)) for shape in shapes]
    grads = []
    for t in range(steps):
        row = []
        for i, shape in enumerate(shapes):
            if (t, i) in none:
                row.append(None)
            elif (t, i) in zero:
                row.append(np.zeros(shape))
            else:
                drawn = rng.standard_normal(shape)
                row.append(np.asarray((drawn + np.sign(drawn) * grad_floor) * grad_size))
        grads.append(row)
    shown = ", ".join(str(tuple(shape)) for shape in shapes)
    return Case(
        name=f"{name}; params {shown}, {steps} step{'s' if steps != 1 else ''}",
        call=call,
        args={"params": params, "grads": grads, **hyper},
        dtype=dtype,
        outputs=OUTPUTS,
        scale=max(float(np.abs(p).max()) for p in params),  # the outputs are parameters, not gradients
        note=note,
        probe=probe,
        blame=blame,
    )


def _every(step, steps, param):
    return {(t, param) for t in range(0, steps, step)}


def cases(rng: np.random.Generator) -> list[Case]:
    skipped = {(0, 2), (3, 1), (4, 1), (9, 1), (10, 0)}
    return [
        _case(rng, "Adam, defaults", "Adam", [(3, 4), (5,), (2, 1, 3)], 15,
              note="defaults lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0"),
        _case(rng, "Adam, lr 0.05, betas (0.8, 0.95)", "Adam", [(4,), (2, 3)], 20,
              lr=0.05, betas=(0.8, 0.95)),
        _case(rng, "Adam, weight_decay 0.1 (L2)", "Adam", [(3, 3), (6,), ()], 15,
              lr=0.01, weight_decay=0.1,
              note="Adam's weight decay is L2: weight_decay·θ is added to the gradient before m and v"),
        _case(rng, "Adam, some grads None", "Adam", [(2, 3), (4,), (3, 1)], 14, none=skipped, lr=0.02,
              note="a parameter whose .grad is None is skipped: its θ, m, v and its own step count t stay as they are"),
        _case(rng, "Adam, zero gradients", "Adam", [(3, 2), (5,)], 12,
              zero={(0, 0), (1, 0), (2, 0), (6, 1), (7, 1)}, lr=0.01, betas=(0.5, 0.9),
              note="a zero gradient is still a gradient: m and v decay and t advances"),
        _case(rng, "Adam, gradients of size 1e-7", "Adam", [(4, 3), (5,)], 10, grad_size=1e-7,
              note="tiny gradients make √v̂ comparable to ε: ε goes outside the square root, √v̂ + ε"),
        _case(rng, "Adam, float32", "Adam", [(8, 4), (3,), (1,)], 20, dtype="float32", lr=0.01),
        _case(rng, "Adam, float32, gradients of size 1e3, weight_decay 0.01", "Adam", [(5, 5), (2,)], 15,
              dtype="float32", grad_size=1e3, lr=0.01, weight_decay=0.01,
              note="Adam's step size does not depend on the gradients' scale"),
        _case(rng, "AdamW, defaults", "AdamW", [(3, 4), (5,), (2, 1, 3)], 15,
              note="defaults lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2"),
        _case(rng, "AdamW, lr 0.05, weight_decay 0.1, betas (0.85, 0.99)", "AdamW", [(4, 2), (3,)], 20,
              lr=0.05, weight_decay=0.1, betas=(0.85, 0.99),
              note="AdamW's decay is decoupled: θ = θ(1 - lr·weight_decay), apart from the Adam step"),
        _case(rng, "AdamW, some grads None, zero gradients", "AdamW", [(2, 3), (4,), (3, 1)], 14,
              none=skipped, zero=_every(3, 14, 0), lr=0.02, weight_decay=0.05,
              note="a parameter whose .grad is None is skipped entirely (no decay either) and keeps its own t"),
        _case(rng, "AdamW, gradients of size 1e-7", "AdamW", [(4, 3), (5,)], 10, grad_size=1e-7,
              note="tiny gradients make √v̂ comparable to ε: ε goes outside the square root, √v̂ + ε"),
        _case(rng, "AdamW, float32, eps 1e-6", "AdamW", [(6, 5), (4,)], 20, dtype="float32",
              lr=0.01, eps=1e-6, weight_decay=0.1),
        _case(rng, "AdamW, float32, one parameter of one element", "AdamW", [(1,)], 8, dtype="float32",
              lr=0.1, betas=(0.9, 0.99)),
        *probes(rng),
    ]


def probes(rng: np.random.Generator) -> list[Case]:
    """One part of the optimizers at a time, the simplest first: the first to fail says where to look.
    Gradients of magnitude 1 at least, so that ε plays no part."""
    probe = partial(_case, rng, grad_floor=1.0, lr=0.1)
    return [
        probe("probe: Adam, one step", "Adam", [(2,)], 1, probe="one Adam step",
              blame="look at the first update: with t = 1, m̂ = g and v̂ = g², so θ moves by lr·sign(g)"),
        probe("probe: Adam, three steps", "Adam", [(2,)], 3, probe="three steps",
              blame="look at the moments and their bias correction after the first step: m = β₁m + (1-β₁)g, "
                    "v = β₂v + (1-β₂)g², m̂ = m/(1-β₁ᵗ), v̂ = v/(1-β₂ᵗ), t counting this parameter's steps"),
        probe("probe: Adam, a None gradient", "Adam", [(2,), (1,)], 3, none={(1, 1)}, probe="a None gradient",
              blame="look at what a None gradient does: the parameter is skipped, its θ, m, v and t stay as they are"),
        probe("probe: Adam, weight_decay, two steps", "Adam", [(2,)], 2, weight_decay=0.5, probe="Adam's weight_decay",
              blame="look at how Adam's weight_decay enters: λθ is added to the gradient, before m and v"),
        probe("probe: AdamW, one step", "AdamW", [(2,)], 1, weight_decay=0.5, probe="one AdamW step",
              blame="look at AdamW's decoupled decay: θ(1 - lr·λ) before the Adam step, m and v from ∇L alone"),
    ]
