"""The corpus: correct implementations in the styles candidates write, each graded end to end.

`tests/corpus/<kata>/<style>.py` holds at least three right answers per kata, each in a style
other than the reference's (einsum, loops, `split`, `torch.where`, CPU constants moved with
`.to`, float64 accumulators, ...). A grader that fails one of them fails a learner who was right.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dlprep.grading import grader
from dlprep.katas.catalog import load

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
KATAS = load().katas
FILES = sorted(CORPUS.glob("*/*.py"))


def _first_failure(report) -> str:
    if report.error is not None:
        return f"{report.error.kind}: {report.error.message}"
    failed = next(check for check in report.checks if not check.passed)
    return f"{failed.name} on {failed.device}: {failed.message}"


@pytest.mark.parametrize("file", FILES, ids=lambda f: f"{f.parent.name}/{f.stem}")
def test_correct_variant_passes(file, tmp_path):
    kata = load().get(file.parent.name)
    submission = tmp_path / file.name
    submission.write_text(file.read_text())
    report = grader.grade(kata, submission, ["cpu"])
    assert report.passed, f"{file.relative_to(CORPUS.parent)} is right, and was failed: {_first_failure(report)}"


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.id)
def test_every_kata_has_three_styles(kata):
    styles = sorted(CORPUS.joinpath(kata.id).glob("*.py"))
    assert len(styles) >= 3, f"tests/corpus/{kata.id}/ has {len(styles)} correct variants; write at least three"
    for style in styles:
        first_line = style.read_text().lstrip().splitlines()[0]
        assert first_line.startswith('"""'), f"{style.name} starts with a one-line docstring naming its style"
