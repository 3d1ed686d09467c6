"""Compares what a submission returned with what was expected, and says where they differ."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from dlprep.grading.spec import Case

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


def tolerance(case: Case) -> Tolerance:
    """What a case's outputs may differ by: its dtype's, at the scale it states or its inputs have."""
    return Tolerance.for_case(case.dtype, case.scale if case.scale is not None else scale_of(case.args))


@dataclass(frozen=True)
class Difference:
    passed: bool
    message: str
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    note: str = ""
    """A remark on an accepted output (a widened dtype)."""


_FLOAT_PRECISION = {"float16": 0, "bfloat16": 0, "float32": 1, "float64": 2, "float128": 3, "longdouble": 3}


def widened(actual: str, expected: str) -> bool:
    """A NumPy output of at least the expected floating precision (float64 for float32 inputs)."""
    return actual in _FLOAT_PRECISION and expected in _FLOAT_PRECISION and _FLOAT_PRECISION[actual] > _FLOAT_PRECISION[expected]


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


def compare(
    name: str, actual: dict[str, Any], expected: dict[str, Any], tol: Tolerance, *, expect_device: str | None, where: Any = None
) -> Difference:
    """Type, device, dtype, shape, then values of one output (only at `where`, a boolean mask, if given)."""
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
    note = ""
    if expected["kind"] in {"tensor", "ndarray"} and actual["dtype"] != expected["dtype"]:
        if not (expected["kind"] == "ndarray" and widened(actual["dtype"], expected["dtype"])):
            return Difference(False, f"`{name}` has dtype {actual['dtype']}, expected {expected['dtype']}"
                              + (" or wider" if expected["kind"] == "ndarray" and expected["dtype"] in _FLOAT_PRECISION else ""))
        note = (f"`{name}` came back as {actual['dtype']} for {expected['dtype']} inputs: accepted (at least the "
                f"inputs' precision), though {expected['dtype']} would keep the caller's memory and speed")
    if actual.get("shape") != expected.get("shape"):
        return Difference(False, f"`{name}` has shape {tuple(actual['shape'])}, expected {tuple(expected['shape'])}")
    if actual.get("data") is None or expected.get("data") is None:
        return Difference(False, f"`{name}` carries no values")
    got, want = np.asarray(actual["data"]), np.asarray(expected["data"])
    if where is not None:
        where = np.broadcast_to(np.asarray(where, dtype=bool), want.shape)
        got, want = got[where], want[where]
    difference = compare_values(name, got, want, tol)
    return dataclasses.replace(difference, note=note) if note else difference


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
        magnitude = np.abs(np.where(np.isfinite(want), want, 0.0))
        # Relative to a value of about 0 an error means nothing: only where |expected| is above the floor.
        rel_err = np.where(magnitude > tol.atol, abs_err / np.maximum(magnitude, np.finfo(np.float64).tiny), 0.0)
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
