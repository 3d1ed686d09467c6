"""The author check: every reference passes, every stub fails, every known mistake is diagnosed."""

from __future__ import annotations

import pytest

from dlprep import paths
from dlprep.grading import grader, loaders, verdict
from dlprep.grading.execute import execute
from dlprep.grading.report import GradeReport
from dlprep.grading.runner import Outcome
from dlprep.katas.catalog import load

KATAS = load().katas


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.id)
def test_reference_passes_end_to_end(kata, tmp_path):
    submission = tmp_path / f"{kata.id}.py"
    submission.write_text(paths.reference(kata.id).read_text())
    report = grader.grade(kata, submission, ["cpu"])
    failures = [(c.name, c.device, c.message) for c in report.checks if not c.passed]
    assert report.error is None and not failures, (report.error, failures)
    assert report.passed


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.id)
def test_stub_fails_as_not_implemented(kata, tmp_path):
    submission = tmp_path / f"{kata.id}.py"
    submission.write_text(paths.stub(kata.id).read_text())
    report = grader.grade(kata, submission, ["cpu"])
    assert not report.passed
    assert report.error is not None and report.error.kind == "not-implemented"
    for function in kata.functions:
        assert function in report.error.message


def _grade_in_process(kata, impl) -> GradeReport:
    """Grade an implementation object as if the learner's process had sent its results."""
    checks = loaders.checks_module(kata)
    cases = loaders.make_cases(kata)
    ref = loaders.reference(kata)
    expected = [execute(ref, checks, case, kata.framework, "cpu") for case in cases]
    frames = []
    for index, case in enumerate(cases):
        try:
            frames.append({"type": "case", "index": index, "device": "cpu", "result": execute(impl, checks, case, kata.framework, "cpu")})
        except Exception as exc:  # noqa: BLE001 - a mistake may raise, as a learner's code would
            frames.append({"type": "case", "index": index, "device": "cpu", "exception": repr(exc)})
    report = GradeReport(kata=kata.id, file="<in process>", devices=["cpu"])
    verdict.evaluate(kata, checks, cases, expected, Outcome(frames, ""), report)
    return report


MISTAKES = [(kata, mistake) for kata in KATAS for mistake in loaders.mistakes(kata)]


@pytest.mark.parametrize("kata, mistake", MISTAKES, ids=[f"{k.id}:{m.id}" for k, m in MISTAKES])
def test_mistake_fails_and_is_diagnosed(kata, mistake):
    report = _grade_in_process(kata, loaders.mistake_impl(kata, mistake))
    assert not report.passed, f"no case tells {mistake.id} from the reference"
    assert [d.mistake for d in report.diagnosis] == [mistake.id]


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.id)
def test_every_kata_has_three_known_mistakes_and_hints(kata):
    assert len(loaders.mistakes(kata)) >= 3
    assert len(kata.hints) >= 3 and "TODO" not in kata.hints


def test_contract_mistake_ids_exist():
    required = {
        "attention": {"no-scale", "wrong-softmax-dim", "inverted-mask"},
        "lstm": {"gate-order", "missing-cell-tanh"},
        "adam": {"no-bias-correction", "eps-inside-sqrt"},
        "backprop": {"sum-not-mean", "unstable-softmax"},
        "gru": {"guide-update-convention"},
    }
    for kata_id, ids in required.items():
        assert ids <= {m.id for m in loaders.mistakes(load().get(kata_id))}, kata_id
