"""Compares what a submission returned with what was expected, and says where they differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

TOLERANCES = {
    # dtype: (relative, absolute per unit of the case's scale)
    "float64": (1e-7, 1e-9),
    "float32": (1e-5, 1e-6),
}


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float

    @classmethod
    def for_case(cls, dtype: str, scale: float) -> "Tolerance":
        rtol, atol = TOLERANCES[dtype]
        return cls(rtol, atol * max(scale, 1.0))


@dataclass(frozen=True)
class Difference:
    passed: bool
    message: str
    max_abs_err: float | None = None
    max_rel_err: float | None = None


def scale_of(args: Any) -> float:
    """The largest finite magnitude among the case's floating inputs."""
    largest = 0.0
    stack = [args]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size:
            finite = value[np.isfinite(value)]
            if finite.size:
                largest = max(largest, float(np.abs(finite).max()))
    return largest


def _describe_kind(record: dict[str, Any]) -> str:
    if record["kind"] == "other":
        return f"a {record['type']}"
    if record["kind"] == "none":
        return "None"
    if record["kind"] in {"tensor", "ndarray"}:
        return f"a {record['kind']} of dtype {record['dtype']}"
    return "a number"


def _kind_matches(actual: dict[str, Any], expected: dict[str, Any]) -> bool:
    if expected["kind"] == "scalar":  # a Python float; NumPy scalars and 0-d arrays pass too
        return actual["kind"] == "scalar" or (actual["kind"] == "ndarray" and actual["shape"] == [])
    return actual["kind"] == expected["kind"]


def compare(name: str, actual: dict[str, Any], expected: dict[str, Any], tol: Tolerance, *, expect_device: str | None) -> Difference:
    """Type, device, dtype, shape, then values of one output."""
    if not _kind_matches(actual, expected):
        return Difference(False, f"`{name}`: expected {_describe_kind(expected)}, got {_describe_kind(actual)}")
    if expected["kind"] == "none":
        return Difference(True, "")
    if expected["kind"] == "tensor":
        if expect_device is not None and actual["device"] != expect_device:
            return Difference(
                False,
                f"`{name}` is on {actual['device']}, expected {expect_device}: create tensors on the inputs' "
                "device (device=x.device) or on the `device` asked for",
            )
    if expected["kind"] in {"tensor", "ndarray"} and actual["dtype"] != expected["dtype"]:
        return Difference(False, f"`{name}` has dtype {actual['dtype']}, expected {expected['dtype']}")
    if actual.get("shape") != expected.get("shape"):
        return Difference(False, f"`{name}` has shape {tuple(actual['shape'])}, expected {tuple(expected['shape'])}")
    if actual.get("data") is None or expected.get("data") is None:
        return Difference(False, f"`{name}` carries no values")
    return compare_values(name, np.asarray(actual["data"]), np.asarray(expected["data"]), tol)


def compare_values(name: str, got: np.ndarray, want: np.ndarray, tol: Tolerance) -> Difference:
    if got.dtype == bool or want.dtype == bool:
        bad = got.astype(bool) != want.astype(bool)
        if bad.any():
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            return Difference(False, f"`{name}`{_where(index)} is {got[index]}, expected {want[index]}", 1.0, 1.0)
        return Difference(True, "", 0.0, 0.0)
    got, want = got.astype(np.float64), want.astype(np.float64)
    same_nonfinite = (np.isnan(got) & np.isnan(want)) | (np.isinf(want) & (got == want))
    with np.errstate(invalid="ignore", over="ignore"):
        abs_err = np.where(same_nonfinite, 0.0, np.abs(got - want))
        abs_err = np.where(np.isnan(abs_err), np.inf, abs_err)
        rel_err = abs_err / np.maximum(np.abs(np.where(np.isfinite(want), want, 0.0)), np.finfo(np.float64).tiny)
        bad = abs_err > tol.atol + tol.rtol * np.abs(np.where(np.isfinite(want), want, 0.0))
    max_abs = float(abs_err.max()) if abs_err.size else 0.0
    max_rel = float(rel_err.max()) if rel_err.size else 0.0
    if not bad.any():
        return Difference(True, "", max_abs, max_rel)
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    count = int(bad.sum())
    return Difference(
        False,
        f"`{name}`{_where(index)} is {got[index]:.8g}, expected {want[index]:.8g} ({count} of {bad.size} values differ)",
        max_abs,
        max_rel,
    )


def _where(index: tuple[int, ...]) -> str:
    return f"{list(index)}" if index else ""


def matches(actual: dict[str, Any], expected: dict[str, Any], tol: Tolerance) -> bool:
    """Whether two records agree, NaN for NaN: a submission reproducing an unstable mistake matches it."""
    return compare("", actual, expected, tol, expect_device=None).passed
