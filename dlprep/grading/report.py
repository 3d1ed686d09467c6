"""What a grade says: checks, diagnosis, error. `to_dict` is the contract's JSON object."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

ERROR_KINDS = ("syntax", "import", "not-implemented", "forbidden-api", "timeout", "crash", "missing-function")


@dataclass(frozen=True)
class Check:
    name: str
    device: str
    passed: bool
    message: str
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    dtype: str = ""
    shapes: str = ""
    note: str = ""
    """What the case was built to expose: shown beside a failure."""
    notes: tuple[str, ...] = ()
    """Remarks on accepted outputs (a widened dtype): collected into the report's notes."""
    call: str = ""
    """The kata's function (or class) the case exercised."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "device": self.device,
            "passed": self.passed,
            "message": self.message,
            "max_abs_err": _finite_or_none(self.max_abs_err),
            "max_rel_err": _finite_or_none(self.max_rel_err),
        }


def _finite_or_none(value: float | None) -> float | None:
    """JSON has no infinity or NaN: an error that large is reported as null beside a failed check."""
    return value if value is not None and math.isfinite(value) else None


@dataclass(frozen=True)
class Diagnosis:
    mistake: str
    message: str
    evidence: dict[str, int] = field(default_factory=dict)
    """{"explained": failing cases the mistake reproduces, "failing": failing cases}."""
    summary: str = ""
    """How well it explains them, in words."""

    def to_dict(self) -> dict[str, Any]:
        return {"mistake": self.mistake, "message": self.message, "evidence": dict(self.evidence)}


@dataclass(frozen=True)
class Localisation:
    """Where the fault lives, when no known mistake explains it: from the probe cases."""

    case: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case, "message": self.message}


@dataclass(frozen=True)
class GradeError:
    kind: str
    message: str

    def __post_init__(self) -> None:
        assert self.kind in ERROR_KINDS, self.kind

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message}


@dataclass
class GradeReport:
    kata: str
    file: str
    devices: list[str]
    checks: list[Check] = field(default_factory=list)
    diagnosis: list[Diagnosis] = field(default_factory=list)
    error: GradeError | None = None
    duration_s: float = 0.0
    output: str = ""
    """What the submission printed (truncated); shown to the learner, not part of the JSON."""
    notes: list[str] = field(default_factory=list)
    """Remarks that do not fail the grade (a host sync, a widened dtype)."""
    isolation: dict[str, Any] | None = None
    """The isolation mode asked for, and which layers held in the learner's process."""
    localisation: Localisation | None = None
    repro: int | None = None
    """The index of the smallest failing case: what `dlprep grade --repro` writes out."""

    @property
    def passed(self) -> bool:
        return self.error is None and bool(self.checks) and all(check.passed for check in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kata": self.kata,
            "file": self.file,
            "passed": self.passed,
            "devices": self.devices,
            "checks": [check.to_dict() for check in self.checks],
            "diagnosis": [d.to_dict() for d in self.diagnosis],
            "error": self.error.to_dict() if self.error else None,
            "duration_s": round(self.duration_s, 3),
            "notes": list(self.notes),
            "isolation": self.isolation,
            "localisation": self.localisation.to_dict() if self.localisation else None,
        }


@dataclass(frozen=True)
class FailureGroup:
    """Failing checks that say the same thing, folded into one line of a report."""

    checks: tuple[Check, ...]

    @property
    def message(self) -> str:
        return self.checks[0].message


def failure_groups(report: GradeReport) -> list[FailureGroup]:
    """The failing checks, those with the same message together, in the order they first fail."""
    groups: dict[str, list[Check]] = {}
    for check in report.checks:
        if not check.passed:
            groups.setdefault(check.message, []).append(check)
    return [FailureGroup(tuple(checks)) for checks in groups.values()]


def changes(previous: GradeReport | None, current: GradeReport) -> str:
    """What changed since the previous grade of the same file, in a line: for watch mode."""
    if previous is None:
        return ""
    before = {(c.name, c.device) for c in previous.checks if c.passed}
    after = {(c.name, c.device) for c in current.checks if c.passed}
    parts = []
    if len(after - before):
        parts.append(f"{len(after - before)} more case{'s' if len(after - before) != 1 else ''} pass")
    if len(before - after):
        parts.append(f"{len(before - after)} case{'s' if len(before - after) != 1 else ''} no longer pass")
    fixed = {d.mistake for d in previous.diagnosis} - {d.mistake for d in current.diagnosis}
    new = {d.mistake for d in current.diagnosis} - {d.mistake for d in previous.diagnosis}
    parts += [f"`{m}` fixed" for m in sorted(fixed)] + [f"`{m}` now" for m in sorted(new)]
    if previous.error and not current.error:
        parts.append(f"no more {previous.error.kind} error")
    elif current.error and (not previous.error or previous.error.kind != current.error.kind):
        parts.append(f"now a {current.error.kind} error")
    return "; ".join(parts) or "no change"
