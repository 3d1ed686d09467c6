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
  so that no lucky seed lets a wrong implementation pass); otherwise cases are fixed;
- optionally `DEVICE_TRAP = False` (torch katas): CPU cases normally run with PyTorch's
  default device set to `meta`, so tensors created without `device=` show; katas that
  build modules (whose parameters are created on the default device) opt out.

Known mistakes (`solutions/mistakes/<id>.py`) are `Mistake`s: a reference with some
functions replaced.
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


@dataclass(frozen=True)
class Mistake:
    id: str
    explanation: str
    """What the submission got wrong, tied to the guide's formula."""
    overrides: dict[str, Callable[..., Any]] = field(default_factory=dict)
    """Functions or classes of the reference this mistake replaces."""


def mistake(mistake_id: str, explanation: str, **overrides: Callable[..., Any]) -> Mistake:
    return Mistake(mistake_id, explanation, overrides)
