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

    def to_dict(self) -> dict[str, Any]:
        return {"mistake": self.mistake, "message": self.message}


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
        }
