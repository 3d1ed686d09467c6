"""What a kata's checks module declares: its cases, and how to call an implementation on one.

A checks module (`dlprep/grading/checks/<id>.py`) holds no reference math: it is imported
by the learner's process too. It provides

- `cases(rng) -> list[Case]`: seeded inputs, built with NumPy only;
- optionally `run(impl, case, args)`: how to call an implementation when calling
  `getattr(impl, case.call)(**args)` is not enough (optimizers, gradient checks);
- optionally `self_expected(case, outputs)`: for `Case.compare == "self"`, what the
  outputs should be given the submission's own other outputs (central differences);
- optionally `judge(case, outputs) -> list[compare.Difference]`: for
  `Case.compare == "judge"`, a verdict on the outputs alone (statistical tests);
- optionally `FRESH_SEED = True`: draw new cases on every grade (statistical katas,
  so that no lucky seed lets a wrong implementation pass); otherwise cases are fixed.

Known mistakes (`solutions/mistakes/<id>.py`) are `Mistake`s: a reference with some
functions replaced. Where the contract leaves a choice, `solutions/readings/<id>.py` lists the
other right answers as `Reading`s, built the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal

DEVICE = "<device>"
"""An argument value that stands for the device a case runs on (`causal_mask(n, device=...)`)."""


@dataclass(frozen=True)
class Case:
    name: str
    call: str
    """The function (or class) of the kata this case exercises."""
    args: dict[str, Any]
    """NumPy arrays (tensors in torch katas), nested lists/tuples of them, and plain scalars."""
    dtype: Literal["float64", "float32"] = "float64"
    grad: tuple[str, ...] = ()
    """Arguments (torch katas) whose gradients are compared with the reference's."""
    upstream: tuple[Any, ...] = ()
    """Gradient of some scalar loss with respect to each floating output, for backward."""
    outputs: tuple[str, ...] = ("out",)
    """Names of the returned values, in order; nested ones are named `name[i]`."""
    scale: float | None = None
    """Magnitude that absolute tolerances scale with; defaults to the largest input."""
    compare: Literal["reference", "self", "judge"] = "reference"
    updates: tuple[str, ...] = ()
    """Arguments the function updates in place by contract (running statistics), compared
    with the reference's after the call instead of being required unchanged."""
    note: str = ""
    """What this case is built to expose, shown when it fails."""
    tags: tuple[str, ...] = ()
    """What the case is, for mistakes stated as properties: "large" (magnitudes where stability fails)."""
    probe: str = ""
    """Set on a localisation probe: what it isolates ("no biases", "one step"). Probes are not checks:
    when no known mistake is named, the first failing probe after passing ones says where the fault lives."""
    blame: str = ""
    """For a probe: where to look when it fails while the probes before it pass."""
    grad_where: dict[str, Any] = field(default_factory=dict)
    """Per input of `grad`, a boolean array of its shape: gradients are compared where it is True.
    False marks points where the function has no derivative (a log clamped at p = 0 or 1, |d| at
    d = 0): the value is compared there, and any gradient a careful reading gives is accepted."""
    no_tensor_spanning: tuple[int, int] | None = None
    """Sizes (L, S) that no tensor the submission creates may have both of among its dimensions:
    flash attention must never hold a full (L, S) block of scores, linear attention never forms it."""


@dataclass(frozen=True)
class Mistake:
    """A known mistake: a family of wrong implementations, named by the first form that explains
    a failing grade, and explained the same whichever form it took."""

    id: str
    explanation: str
    """What the submission got wrong, tied to the guide's formula."""
    overrides: dict[str, Callable[..., Any]] = field(default_factory=dict)
    """Functions or classes of the reference this mistake replaces: its most typical form."""
    variants: tuple[dict[str, Callable[..., Any]], ...] = ()
    """Other forms the same mistake takes (another wrong softmax axis, another gate order)."""
    predicate: Callable[[Case, dict[str, Any]], bool] | None = None
    """A property of a failing case's outputs that shows the mistake whatever the code (an unstable
    softmax: non-finite outputs on the large-magnitude cases): `predicate(case, outputs)` with the
    submission's output arrays by name. With no `overrides`, the mistake is this property alone."""
    nearly: bool = False
    """Named when it explains nearly every failing case (statistical katas, where a draw may fail
    for a reason of its own), not only when it explains all."""

    def forms(self) -> list[dict[str, Callable[..., Any]]]:
        return [form for form in (self.overrides, *self.variants) if form]


def mistake(mistake_id: str, explanation: str, *, variants=(), predicate=None, nearly=False,
            **overrides: Callable[..., Any]) -> Mistake:
    return Mistake(mistake_id, explanation, overrides, tuple(variants), predicate, nearly)


@dataclass(frozen=True)
class Reading:
    """Another right answer where the contract leaves a choice (which of tied maxima gets the
    gradient, a distance with or without PyTorch's eps): a reference with some functions replaced.
    A case the reference fails is passed when a reading explains it."""

    id: str
    explanation: str
    overrides: dict[str, Callable[..., Any]] = field(default_factory=dict)


def reading(reading_id: str, explanation: str, **overrides: Callable[..., Any]) -> Reading:
    return Reading(reading_id, explanation, overrides)
