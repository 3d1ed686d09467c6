"""What kata authors check in their own process: a reference, a known mistake, a reading.

Learners' files never run here: `dlprep grade` runs them in an isolated process. An author's
implementations are dlprep's own, so they are graded as if the learner's process had sent
their results, case by case, through the same verdict.
"""

from __future__ import annotations

from types import ModuleType

from dlprep.grading import loaders, verdict
from dlprep.grading.execute import ProtocolError, execute
from dlprep.grading.report import GradeReport
from dlprep.grading.runner import Outcome
from dlprep.katas.catalog import Kata


def grade_in_process(kata: Kata, impl: ModuleType | object) -> GradeReport:
    checks = loaders.checks_module(kata)
    cases = loaders.make_cases(kata)
    ref = loaders.reference(kata)
    expected = [execute(ref, checks, case, kata.framework, "cpu") for case in cases]
    frames = []
    for index, case in enumerate(cases):
        where = {"type": "case", "index": index, "device": "cpu"}
        try:
            frames.append({**where, "result": execute(impl, checks, case, kata.framework, "cpu")})
        except ProtocolError as exc:  # what came back is not what the signature promises, as the child says it
            frames.append({**where, "protocol": str(exc)})
        except Exception as exc:  # noqa: BLE001 - a mistake may raise, as a learner's code would
            frames.append({**where, "exception": repr(exc)})
    report = GradeReport(kata=kata.id, file="<in process>", devices=["cpu"])
    verdict.evaluate(verdict.Shared(kata, checks, cases, expected), Outcome(frames, ""), report)
    return report
