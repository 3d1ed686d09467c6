"""Known mistakes written the way learners write them: each must still be named, and only it.

`tests/mistake_forms/<kata>/<mistake-id>/<form>.py` is a whole submission with exactly that one
mistake, in a form of its own (another axis, another spelling, another library call) rather than
the form `solutions/mistakes/<kata>.py` uses. Diagnosis that names only the catalogued form fails
here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from dlprep.grading import loaders
from dlprep.katas.catalog import load

from .helpers import grade_in_process

FORMS = Path(__file__).resolve().parents[1] / "mistake_forms"
FILES = sorted(FORMS.glob("*/*/*.py"))


def load_file(file: Path):
    spec = importlib.util.spec_from_file_location(f"form_{file.parent.parent.name}_{file.parent.name}_{file.stem}", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("file", FILES, ids=lambda f: f"{f.parent.parent.name}:{f.parent.name}:{f.stem}")
def test_a_mistake_in_another_form_is_still_named(file):
    kata = load().get(file.parent.parent.name)
    mistake_id = file.parent.name
    assert mistake_id in {m.id for m in loaders.mistakes(kata)}, f"{mistake_id} is no mistake of {kata.id}"
    report = grade_in_process(kata, load_file(file))
    assert not report.passed, f"{file.relative_to(FORMS)}: the grade passed"
    assert [d.mistake for d in report.diagnosis] == [mistake_id], (
        f"{file.relative_to(FORMS)}: named {[d.mistake for d in report.diagnosis]}, "
        f"failing {[c.name for c in report.checks if not c.passed][:4]}"
    )
