"""The verdict: what the learner's process sent, compared with the reference; known mistakes named."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from dlprep.grading import compare, loaders
from dlprep.grading.execute import execute
from dlprep.grading.report import Check, Diagnosis, GradeError, GradeReport
from dlprep.grading.runner import Outcome
from dlprep.grading.spec import Case
from dlprep.katas.catalog import Kata


def evaluate(kata: Kata, checks: ModuleType, cases: list[Case], expected: list[dict], outcome: Outcome, report: GradeReport) -> None:
    """Fill `report` from what the learner's process sent; diagnose when something failed."""
    not_implemented: list[str] = []
    results: dict[int, dict[str, Any]] = {}
    for frame in outcome.frames:
        if frame.get("type") == "devices":
            report.devices = frame["devices"]
        elif frame.get("type") == "error":
            report.error = GradeError(frame["kind"], frame["message"])
        elif frame.get("type") == "garbled":
            report.error = GradeError("crash", "the learner's process sent something unreadable (did your code write to file descriptors it did not open?)")
        elif frame.get("type") == "case":
            case = cases[frame["index"]]
            check = _check(checks, case, frame, expected[frame["index"]])
            report.checks.append(check)
            if "not_implemented" in frame and frame["not_implemented"] not in not_implemented:
                not_implemented.append(frame["not_implemented"])
            if "result" in frame:
                results.setdefault(frame["index"], frame["result"])
    if report.error is None and outcome.error is not None:
        report.error = GradeError(outcome.error["kind"], outcome.error["message"])
    if report.error is None and not_implemented:
        report.error = GradeError("not-implemented", "not implemented yet: " + ", ".join(f"`{name}`" for name in not_implemented))
    if not report.passed and results:
        report.diagnosis = diagnose(kata, checks, cases, expected, results)


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


def tolerance(case: Case) -> compare.Tolerance:
    return compare.Tolerance.for_case(case.dtype, case.scale if case.scale is not None else compare.scale_of(case.args))


def _check(checks: ModuleType, case: Case, frame: dict[str, Any], expected: dict[str, Any]) -> Check:
    device = frame["device"]
    row = {"name": case.name, "device": device, "dtype": case.dtype, "shapes": _shapes(case), "note": case.note}
    if "not_implemented" in frame:
        return Check(passed=False, message=f"`{frame['not_implemented']}` is not implemented yet", **row)
    if "exception" in frame:
        return Check(passed=False, message=f"raised an exception:\n{frame['exception']}", **row)
    differences = differences_from(checks, case, frame["result"], expected, device)
    failed = [d for d in differences if not d.passed]
    abs_errs = [d.max_abs_err for d in differences if d.max_abs_err is not None]
    rel_errs = [d.max_rel_err for d in differences if d.max_rel_err is not None]
    return Check(
        passed=not failed,
        message=failed[0].message if failed else "ok",
        max_abs_err=max(abs_errs) if abs_errs else None,
        max_rel_err=max(rel_errs) if rel_errs else None,
        **row,
    )


def differences_from(
    checks: ModuleType, case: Case, actual: dict[str, Any], expected: dict[str, Any], device: str | None
) -> list[compare.Difference]:
    """Every comparison one case makes: outputs, gradients, and inputs left unchanged."""
    tol = tolerance(case)
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
                difference = compare.compare(label + name, got, want, tol, expect_device=device)
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


def _agrees(checks: ModuleType, case: Case, actual: dict[str, Any], expected: dict[str, Any]) -> bool:
    return all(d.passed for d in differences_from(checks, case, actual, expected, device=None))


def diagnose(kata: Kata, checks: ModuleType, cases: list[Case], expected: list[dict], results: dict[int, dict]) -> list[Diagnosis]:
    """Known mistakes whose outputs the submission reproduces wherever they differ from the reference.

    A mistake that raises on a case the submission got through is ruled out: a submission
    with that mistake would have raised there too.
    """
    found = []
    for mistake in loaders.mistakes(kata):
        impl = loaders.mistake_impl(kata, mistake)
        telling = 0
        for index, actual in results.items():
            case = cases[index]
            if case.compare != "reference":
                continue
            try:
                wrong = execute(impl, checks, case, kata.framework, "cpu")
            except Exception:  # noqa: BLE001 - a mistake may simply not run on some cases
                break
            if _agrees(checks, case, wrong, expected[index]):
                continue  # this case cannot tell the mistake from the reference
            if not _agrees(checks, case, actual, wrong):
                break
            telling += 1
        else:
            if telling:
                found.append(Diagnosis(mistake.id, mistake.explanation))
    return found
