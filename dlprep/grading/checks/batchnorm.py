"""Cases for `batchnorm`: batchnorm_forward(x, gamma, beta, running_mean, running_var,
training=True, momentum=0.1, eps=1e-5) -> (out, cache) and batchnorm_backward(dout, cache)
-> (dx, dgamma, dbeta).

The cache is the learner's own object: it never leaves the learner's process. `run` calls
forward (then backward) there and sends back arrays only. Three kinds of case:

- forward cases (`call="batchnorm_forward"`): `out` of one or several steps, and the running
  statistics after the call, compared with the reference's (`Case.updates`);
- backward cases (`call="batchnorm_backward"`): forward, then backward with the case's `dout`;
  out, dx, dgamma, dbeta and the running statistics are compared with the reference;
- gradient checks (`compare="self"`): at a few entries of x, gamma and beta, the learner's
  gradient against the central difference of L = Σ dout ⊙ out computed with the learner's own
  forward (`self_expected`), so a backward that disagrees with its own forward is named by entry.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks import _normalization
from dlprep.grading.checks._numeric import GRAD_CHECK_SCALE, entry_outputs
from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

FORWARD = "batchnorm_forward"
BACKWARD = "batchnorm_backward"
ARRAYS = ("x", "gamma", "beta", "running_mean", "running_var")
OPTIONS = ("training", "momentum", "eps")
UPDATES = ("running_mean", "running_var")

H = 1e-5
"""Step of the central differences: their error, O(h²) + O(ε·|L|/h), stays near 1e-10."""


def _split(result):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ProtocolError(f"{FORWARD} must return (out, cache)")
    return result


def _forward(impl, args, x, training, **moved):
    """One call of the learner's forward; `moved` replaces some arrays (gradient checks)."""
    arrays = {"x": x, **{name: moved.get(name, args[name]) for name in ARRAYS[1:]}}
    options = {name: args[name] for name in ("momentum", "eps") if name in args}
    if training is not None:
        options["training"] = training
    return _split(impl.batchnorm_forward(*(arrays[name] for name in ARRAYS), **options))


def run(impl, case: Case, args: dict):
    if "batches" in args:  # several steps, as a training loop (then evaluation) calls it
        return tuple(
            _forward(impl, args, x, training)[0] for x, training in zip(args["batches"], args["training"])
        )
    if case.call == FORWARD:
        return _forward(impl, args, args["x"], args.get("training"))[0]
    result = _normalization.forward_then_backward(
        impl, "batchnorm", lambda: _forward(impl, args, args["x"], args.get("training")), args["dout"]
    )
    if case.compare != "self":
        return result
    return _normalization.gradient_check(
        args, result,
        lambda moved: _forward(impl, args, moved.pop("x"), args.get("training"), **moved)[0],
        copied=("x", "gamma", "beta", *UPDATES),  # running statistics too: each forward gets fresh ones
    )


self_expected = _normalization.self_expected


def _state(rng, D):
    """gamma, beta, running_mean, running_var: a model some way into training."""
    return {
        "gamma": 1.0 + 0.5 * rng.standard_normal(D),
        "beta": 0.5 * rng.standard_normal(D),
        "running_mean": 0.5 * rng.standard_normal(D),
        "running_var": rng.uniform(0.5, 2.0, D),
    }


def _batch(rng, N, D):
    """Features of different means and spreads, none like the running statistics."""
    return rng.standard_normal((N, D)) * rng.uniform(0.5, 2.0, D) + rng.standard_normal(D)


def _args(rng, N, D, x, training, options):
    args = {"x": _batch(rng, N, D) if x is None else x, **_state(rng, D)}
    if training is not None:
        args["training"] = training
    return {**args, **options}


def _case(rng, name, N, D, *, training=True, backward=True, dtype="float64", x=None, note="", scale=None, **options):
    """`training=None` leaves training, and unset `options` (momentum, eps), to the defaults."""
    args = _args(rng, N, D, x, training, options)
    if not backward:
        return Case(name, FORWARD, args, dtype=dtype, updates=UPDATES, note=note, scale=scale)
    args["dout"] = rng.standard_normal(args["x"].shape)
    return Case(name, BACKWARD, args, dtype=dtype, outputs=("out", "dx", "dgamma", "dbeta"),
                updates=UPDATES, note=note, scale=scale)


def _steps(rng, name, sizes, D, training, *, note="", **options):
    batches = [_batch(rng, N, D) for N in sizes]
    return Case(
        name=name,
        call=FORWARD,
        args={"batches": batches, **_state(rng, D), "training": tuple(training), **options},
        outputs=tuple(f"out of step {t + 1}" for t in range(len(sizes))),
        updates=UPDATES,
        note=note,
    )


def _grad_check(rng, name, N, D, *, training=True, x=None, count=4, note=""):
    """A `compare="self"` case: `count` entries of x, one of gamma and one of beta."""
    args = _args(rng, N, D, x, training, {})
    args["dout"] = rng.standard_normal((N, D))
    picks = {tuple(int(i) for i in index) for index in zip(rng.integers(N, size=count), rng.integers(D, size=count))}
    j = int(rng.integers(D))
    entries = (*(("x", index) for index in sorted(picks)), ("gamma", (j,)), ("beta", (j,)))
    names = [_normalization.entry_name(*entry) for entry in entries]
    return Case(
        name=name,
        call=BACKWARD,
        args={**args, "entries": entries, "h": H},
        outputs=entry_outputs(names),
        compare="self",
        scale=GRAD_CHECK_SCALE,
        updates=UPDATES,
        note=note or _normalization.GRAD_CHECK_NOTE,
    )


def cases(rng: np.random.Generator) -> list[Case]:
    eval_note = "eval: normalise with running_mean and running_var, leave them unchanged"
    flat = _batch(rng, 6, 4)
    flat[:, 0] = 1.7  # a constant feature: σ² = 0, only ε keeps 1/√(σ² + ε) finite
    flat[:, 1] = 0.3 + 1e-3 * rng.standard_normal(6)  # σ² ≈ 1e-6, far below ε
    offset = 1e6 + _batch(rng, 8, 3)
    first = rng.standard_normal(3)
    pair = np.stack([first, first + rng.choice([-1.0, 1.0], 3) * rng.uniform(0.5, 2.0, 3)])  # 0.5 to 2 apart
    return [
        _case(rng, "training, N = 8, D = 5: forward", 8, 5, backward=False, momentum=0.1, eps=1e-5),
        _case(rng, "eval, N = 6, D = 4: forward", 6, 4, training=False, backward=False, note=eval_note),
        _case(rng, "training, N = 8, D = 5", 8, 5, momentum=0.1, eps=1e-5),
        _case(rng, "training, defaults for training, momentum and eps", 5, 3, training=None,
              note="defaults: training=True, momentum=0.1, eps=1e-5"),
        _case(rng, "training, N = 2 (the smallest batch), D = 3", 2, 3,
              note="σ² (biased, for normalising) and the running estimate's N/(N−1)·σ² differ by a factor 2 here"),
        _case(rng, "training, momentum 0.3, eps 1e-3, N = 16, D = 3", 16, 3, momentum=0.3, eps=1e-3,
              note="running = (1 − momentum)·running + momentum·batch"),
        _case(rng, "training, D = 1", 4, 1),
        _case(rng, "eval, N = 5, D = 4", 5, 4, training=False, note=eval_note),
        _case(rng, "eval, batch of one", 1, 6, training=False, note=eval_note + "; a batch of one has no variance"),
        _case(rng, "training, a constant feature and one of variance 1e-6", 6, 4, x=flat,
              note="σ² = 0 and σ² ≈ 1e-6, below ε: 1/√(σ² + ε), with ε inside the square root, keeps them finite"),
        _case(rng, "training, features near 1e6 with spread 1", 8, 3, x=offset, scale=1.0,
              note="σ² as mean(x²) − mean(x)² cancels catastrophically here; use mean((x − μ)²)"),
        _case(rng, "float32, training, N = 10, D = 6", 10, 6, dtype="float32"),
        _case(rng, "float32, eval, N = 4, D = 5", 4, 5, training=False, dtype="float32", note=eval_note),
        _case(rng, "float32, eval, batch of one", 1, 3, training=False, dtype="float32", note=eval_note),
        _steps(rng, "3 training steps (N = 4, 2, 7), then eval", (4, 2, 7, 3), 4, (True, True, True, False),
               momentum=0.2, note="the running statistics carry over from step to step; the last step is eval"),
        _grad_check(rng, "gradient check, training, N = 5, D = 4", 5, 4),
        _grad_check(rng, "gradient check, training, N = 2, D = 3", 2, 3, x=pair,
                    note="with N = 2, x̂ = ±(x₁ − x₂)/√((x₁ − x₂)² + 4ε) ≈ ±1 whatever x is, so dx ≈ 0: "
                    "the paths through μ and σ² cancel the direct one. Expected = (L(θ+h) − L(θ−h))/2h "
                    "from YOUR OWN forward, L = Σ dout ⊙ out"),
        _grad_check(rng, "gradient check, eval, N = 3, D = 3", 3, 3, training=False),
    ]
