"""The author check: every reference passes, every stub fails, every known mistake is diagnosed."""

from __future__ import annotations

import numpy as np
import pytest

from dlprep import paths
from dlprep.grading import grader, loaders
from dlprep.katas.catalog import load

from .helpers import grade_in_process

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


FORMS = [(kata, mistake, number, form) for kata in KATAS for mistake in loaders.mistakes(kata)
         for number, form in enumerate(mistake.forms())]


@pytest.mark.parametrize("kata, mistake, number, form", FORMS, ids=[f"{k.id}:{m.id}" + (f"#{n}" if n else "") for k, m, n, _ in FORMS])
def test_every_form_of_every_mistake_fails_and_is_named_by_its_own_id(kata, mistake, number, form):
    report = grade_in_process(kata, loaders.variant_impl(kata, form))
    assert not report.passed, f"no case tells {mistake.id} (form {number}) from the reference"
    assert [d.mistake for d in report.diagnosis] == [mistake.id]


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.id)
def test_every_kata_has_three_known_mistakes_and_hints(kata):
    assert len(loaders.mistakes(kata)) >= 3
    assert len(kata.hints) >= 3 and "TODO" not in kata.hints


def _values(arg) -> int:
    if isinstance(arg, (list, tuple)):
        return sum(map(_values, arg))
    return int(np.size(arg)) if isinstance(arg, np.ndarray) else 0


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.id)
def test_probes_are_few_and_small_enough_to_read(kata):
    """Probes say where a fault lives (no biases, one step, one head): a handful of cases, each
    small enough to read whole in a REPL."""
    probes = [case for case in loaders.make_cases(kata) if case.probe]
    assert not probes or 3 <= len(probes) <= 8, [case.name for case in probes]
    assert all(sum(map(_values, case.args.values())) <= 150 for case in probes)


def test_contract_mistake_ids_exist():
    required = {
        "attention": {"no-scale", "wrong-softmax-dim", "inverted-mask"},
        "lstm": {"gate-order", "missing-cell-tanh"},
        "adam": {"no-bias-correction", "eps-inside-sqrt", "global-step-count"},
        "backprop": {"sum-not-mean", "unstable-softmax"},
        "gru": {"guide-update-convention"},
    }
    for kata_id, ids in required.items():
        assert ids <= {m.id for m in loaders.mistakes(load().get(kata_id))}, kata_id


def _raises(*args, **kwargs):
    raise TypeError("a slip of another kind")


BESIDE = [(kata, mistake, other) for kata in KATAS if len(kata.functions) > 1 for mistake in loaders.mistakes(kata)
          if mistake.forms() and len(mistake.forms()[0]) == 1
          for other in [next(f for f in kata.functions if f not in mistake.forms()[0])]]


@pytest.mark.parametrize("kata, mistake, other", BESIDE, ids=[f"{k.id}:{m.id}" for k, m, _ in BESIDE])
def test_a_mistake_is_named_beside_another_function_failing_otherwise(kata, mistake, other):
    """The mistake's function reproduces it on all its failing cases; another function raises.
    Where every function that failed reached the raising one too (lstm_forward calls lstm_cell,
    a backward case runs the forward), the mistake may go unnamed; no other may be named."""
    report = grade_in_process(kata, loaders.variant_impl(kata, {**mistake.forms()[0], other: _raises}))
    assert not report.passed
    failed = [check for check in report.checks if not check.passed]
    clean = {c.call for c in failed} - {c.call for c in failed if "a slip of another kind" in c.message}
    named = [d.mistake for d in report.diagnosis]
    assert named in ([mistake.id], []) if not clean else named == [mistake.id], named
