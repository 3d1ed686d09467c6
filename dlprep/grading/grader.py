"""Grades a submission: runs it in its own process, compares with the reference, diagnoses.

This module imports little: the learner's process is started first, and NumPy, torch and
the reference load while it starts, so the two processes' imports overlap.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from dlprep import paths
from dlprep.grading import forbidden
from dlprep.grading.report import GradeError, GradeReport
from dlprep.grading.runner import LearnerProcess
from dlprep.katas.catalog import Kata

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_BYTES = 4 * 2**30


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def grade(
    kata: Kata,
    file: Path,
    devices: list[str] | None = None,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
) -> GradeReport:
    """Grade `file` as a submission for `kata` on `devices`.

    `None` means the CPU, and CUDA too where the learner's process finds it: deciding there
    spares this process importing torch before starting it. numpy and python katas: the CPU.
    """
    started = time.monotonic()
    if kata.framework != "torch":
        devices = ["cpu"]
    report = GradeReport(kata=kata.id, file=str(file), devices=devices or ["cpu"])
    report.error = _static_error(kata, file.read_text(encoding="utf-8"))
    if report.error is None:
        _run(kata, file, devices, report, timeout_s, memory_bytes)
    report.duration_s = time.monotonic() - started
    return report


def _static_error(kata: Kata, source: str) -> GradeError | None:
    try:
        uses = forbidden.scan(source, kata.forbidden)
    except SyntaxError as exc:
        return GradeError("syntax", f"line {exc.lineno}: {exc.msg}")
    if uses:
        return GradeError("forbidden-api", "; ".join(use.message() for use in uses))
    return None


def _run(kata: Kata, file: Path, devices: list[str] | None, report: GradeReport, timeout_s: float, memory_bytes: int) -> None:
    process = LearnerProcess(
        config={
            "kata": kata.id,
            "file": str(file.resolve()),
            "framework": kata.framework,
            "functions": list(kata.functions),
            "forbidden": list(kata.forbidden),
            "devices": devices,
            "hidden_dirs": [str(paths.solutions_dir()), str(paths.home())],
            "hidden_modules": ["dlprep.solutions"],
        },
        timeout_s=timeout_s,
        memory_bytes=memory_bytes,
    )
    try:
        from dlprep.grading import loaders, verdict
        from dlprep.grading.execute import execute

        checks = loaders.checks_module(kata)
        cases = loaders.make_cases(kata)
        process.send_cases([dataclasses.asdict(case) for case in cases])
        ref = loaders.reference(kata)
        expected = [execute(ref, checks, case, kata.framework, "cpu") for case in cases]
        outcome = process.wait()
    finally:
        process.kill()
    report.output = outcome.output
    verdict.evaluate(kata, checks, cases, expected, outcome, report)
