"""The verdict: what the learner's process sent, compared with the reference; known mistakes named."""

from __future__ import annotations

import dataclasses
import threading
from types import ModuleType
from typing import Any

import numpy as np

from dlprep.grading import compare, loaders
from dlprep.grading.diagnosis import Diagnostician, Observed
from dlprep.grading.execute import execute
from dlprep.grading.report import Check, GradeError, GradeReport
from dlprep.grading.runner import Outcome
from dlprep.grading.spec import Case
from dlprep.katas.catalog import Kata


class Shared:
    """What a kata's grades compute beyond the reference's outputs, kept for its next grade (watch
    mode re-grades one file many times): the accepted readings' outputs and the known mistakes'.
    Each is made when a grade first needs it, once even when two grades of the kata run at once;
    one grade is diagnosed at a time, since the diagnostician keeps notes on the grade at hand."""

    def __init__(self, kata: Kata, checks: ModuleType, cases: list[Case], expected: list[dict]):
        self.kata, self.checks, self.cases, self.expected = kata, checks, cases, expected
        self.readings = _Readings(kata, checks, cases)
        self._diagnostician: Diagnostician | None = None
        self._lock = threading.Lock()

    def diagnose(self, observed: dict[int, Observed], report: GradeReport) -> None:
        """Name the mistakes, or say where the fault lives, and pick the case to reproduce."""
        with self._lock:
            if self._diagnostician is None:
                self._diagnostician = Diagnostician(self.kata, self.checks, self.cases, self.expected)
            report.diagnosis = self._diagnostician.diagnose(observed)
            if not report.diagnosis:
                report.localisation = self._diagnostician.localise(observed)
            report.repro = self._diagnostician.smallest_failing(observed)


def evaluate(shared: Shared, outcome: Outcome, report: GradeReport) -> None:
    """Fill `report` from what the learner's process sent; diagnose when something failed."""
    checks, cases, expected = shared.checks, shared.cases, shared.expected
    not_implemented: list[str] = []
    observed: dict[int, Observed] = {}
    first_device = None
    for frame in outcome.frames:
        if frame["type"] == "devices":
            report.devices = frame["devices"]
        elif frame["type"] == "error":
            report.error = GradeError(frame["kind"], frame["message"])
        elif frame["type"] == "case":
            index = frame["index"]
            case = cases[index]
            check = _check(checks, case, frame, expected[index], shared.readings.expected(index))
            if not case.probe:  # probes only say where a fault lives
                report.checks.append(check)
            for note in (*(frame.get("monitor") or {}).get("notes", ()), *check.notes):
                if note not in report.notes:
                    report.notes.append(note)
            if "not_implemented" in frame and frame["not_implemented"] not in not_implemented:
                not_implemented.append(frame["not_implemented"])
            first_device = first_device or frame["device"]
            if frame["device"] == first_device and case.compare == "reference":
                observed[index] = Observed(check.passed, frame.get("result"))
    if report.error is None and outcome.error is not None:
        report.error = GradeError(outcome.error["kind"], outcome.error["message"])
    if report.error is None and not_implemented:
        report.error = GradeError("not-implemented", "not implemented yet: " + ", ".join(f"`{name}`" for name in not_implemented))
    if report.error is None and not report.passed and observed:
        shared.diagnose(observed, report)


def _shapes(case: Case) -> str:
    def shape(value: Any) -> str | None:
        if isinstance(value, np.ndarray) and value.ndim:
            return "×".join(map(str, value.shape))
        if isinstance(value, (list, tuple)) and value:
            inner = [shape(item) for item in value]
            if not all(inner):
                return None
            return f"{len(inner)} × {inner[0]}" if len(inner) > 2 and len(set(inner)) == 1 else f"[{', '.join(inner)}]"
        return None

    return ", ".join(f"{name} {shape(value)}" for name, value in case.args.items() if shape(value))


class _Readings:
    """The kata's other right answers, run on a case only when the reference does not explain it."""

    def __init__(self, kata: Kata, checks: ModuleType, cases: list[Case]):
        self.kata, self.checks, self.cases = kata, checks, cases
        self._impls: list | None = None
        self._expected: dict[int, list] = {}
        self._lock = threading.Lock()

    def expected(self, index: int):
        def compute() -> list[tuple[Any, dict[str, Any]]]:
            with self._lock:
                if index not in self._expected:
                    if self._impls is None:
                        self._impls = [(r, loaders.mistake_impl(self.kata, r)) for r in loaders.readings(self.kata)]
                    case = self.cases[index]
                    self._expected[index] = [(r, execute(impl, self.checks, case, self.kata.framework, "cpu")) for r, impl in self._impls]
                return self._expected[index]

        return compute


def _check(checks: ModuleType, case: Case, frame: dict[str, Any], expected: dict[str, Any], readings=lambda: ()) -> Check:
    device = frame["device"]
    row = {"name": case.name, "device": device, "dtype": case.dtype, "shapes": _shapes(case), "note": case.note, "call": case.call}
    if "not_implemented" in frame:
        return Check(passed=False, message=f"`{frame['not_implemented']}` is not implemented yet", **row)
    if "protocol" in frame:
        return Check(passed=False, message=frame["protocol"], **row)
    if "exception" in frame:
        return Check(passed=False, message=f"raised an exception:\n{frame['exception']}", **row)
    differences = differences_from(checks, case, frame["result"], expected, device)
    if not all(d.passed for d in differences):
        for reading, alternative in readings():
            accepted = differences_from(checks, case, frame["result"], alternative, device)
            if all(d.passed for d in accepted):
                note = f"accepted reading `{reading.id}`: {reading.explanation}"
                differences = [dataclasses.replace(d, note=d.note or note) for d in accepted] or differences
                break
    watched = frame.get("monitor") or {}
    for problem in (watched.get("tampered"), watched.get("spanning"), *watched.get("device", ())):
        if problem:
            differences.insert(0, compare.Difference(False, problem))
    failed = [d for d in differences if not d.passed]
    abs_errs = [d.max_abs_err for d in differences if d.max_abs_err is not None]
    rel_errs = [d.max_rel_err for d in differences if d.max_rel_err is not None]
    return Check(
        passed=not failed,
        message=failed[0].message if failed else "ok",
        max_abs_err=max(abs_errs) if abs_errs else None,
        max_rel_err=max(rel_errs) if rel_errs else None,
        notes=tuple(dict.fromkeys(d.note for d in differences if d.note)),
        **row,
    )


def differences_from(
    checks: ModuleType, case: Case, actual: dict[str, Any], expected: dict[str, Any], device: str | None
) -> list[compare.Difference]:
    """Every comparison one case makes: outputs, gradients, and inputs left unchanged."""
    tol = compare.tolerance(case)
    if case.compare == "self":
        differences = _self_consistency(checks, case, actual, tol)
    elif case.compare == "judge":
        differences = checks.judge(case, {name: record.get("data") for name, record in actual["outputs"].items()})
    else:
        differences = []
        for group, label in (("outputs", ""), ("grads", "gradient of ")):
            for name, want in expected[group].items():
                got = actual[group].get(name)
                if got is None:
                    differences.append(compare.Difference(False, f"no {label}`{name}` came back"))
                    continue
                where = case.grad_where.get(name) if group == "grads" else None
                difference = compare.compare(label + name, got, want, tol, expect_device=device, where=where)
                if not difference.passed and group == "grads" and got["kind"] == "none":
                    difference = compare.Difference(False, f"no gradient reached `{name}`: is something detached from the graph?")
                differences.append(difference)
    for name, want in expected.get("inputs_after", {}).items():
        got = actual["inputs_after"].get(name)
        if got is None:
            continue
        if name.split("[")[0] in case.updates:
            differences.append(compare.compare(f"{name} after the call", got, want, tol, expect_device=device))
        elif not compare.matches(got, want, compare.Tolerance(0.0, 0.0)):
            # Listed first: a modified input explains every other difference.
            differences.insert(0, compare.Difference(False, f"your code modified its input `{name}` in place; inputs are read-only"))
    return differences


def _self_consistency(checks: ModuleType, case: Case, actual: dict[str, Any], tol: compare.Tolerance) -> list[compare.Difference]:
    """Outputs checked against what the submission's own other outputs imply (central differences)."""
    outputs = actual["outputs"]
    unusable = [name for name, record in outputs.items() if record.get("data") is None]
    if unusable:
        return [compare.Difference(False, f"`{unusable[0]}` is not a number or array")]
    wanted = checks.self_expected(case, {name: record["data"] for name, record in outputs.items()})
    return [compare.compare_values(name, np.asarray(outputs[name]["data"]), np.asarray(value), tol) for name, value in wanted.items()]


def diagnose(kata: Kata, checks: ModuleType, cases: list[Case], expected: list[dict], results: dict[int, dict]) -> list:
    """The known mistakes that explain `results` (case index -> what the learner's process
    reported), each case judged passed or failed as a grade judges it."""
    observed = {
        index: Observed(all(d.passed for d in differences_from(checks, cases[index], result, expected[index], None)), result)
        for index, result in results.items()
        if cases[index].compare == "reference"
    }
    report = GradeReport(kata=kata.id, file="<in process>", devices=["cpu"])
    Shared(kata, checks, cases, expected).diagnose(observed, report)
    return report.diagnosis
