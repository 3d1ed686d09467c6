"""Diagnosis quality, over every known mistake in every form, and over the mistakes written again.

- Every form of every mistake in `solutions/mistakes/` (the families), and every second-form file
  in `tests/mistake_forms/` (a mistake as a learner wrote it): the share named correctly, named
  wrongly (anything else named, which must be 0), and not named.
- Every correct file of `tests/corpus/`: no mistake may be named for a file that passes.
- The time a buggy `dlprep grade attention` takes, against `python -c "import torch"`.
"""

import importlib.util
import statistics
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

from common import DLPREP, scratch_env, wall

from dlprep.grading import loaders
from dlprep.grading.authoring import grade_in_process
from dlprep.katas.catalog import load

TESTS = Path(__file__).resolve().parents[1] / "tests"


def _module(file: Path):
    spec = importlib.util.spec_from_file_location(f"bench_{abs(hash(file))}", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tally(label: str, outcomes: list[tuple[str, list[str]]]) -> None:
    right = sum(named == [wanted] for wanted, named in outcomes)
    wrong = sum(bool(named) and named != [wanted] for wanted, named in outcomes)
    unnamed = sum(not named for _, named in outcomes)
    total = len(outcomes)
    print(f"{label}: {total} files; named correctly {right / total:.1%}, named wrongly {wrong / total:.1%} "
          f"(must be 0), not named {unnamed / total:.1%}")
    for wanted, named in outcomes:
        if named and named != [wanted]:
            print(f"  wrongly named: {wanted} as {named}")


def main() -> None:
    warnings.simplefilter("ignore")  # the unstable mistakes overflow, as they are meant to
    np.seterr(all="ignore")
    catalog = load()
    families = []
    for kata in catalog.katas:
        for mistake in loaders.mistakes(kata):
            for form in mistake.forms():
                report = grade_in_process(kata, loaders.variant_impl(kata, form))
                families.append((mistake.id, [d.mistake for d in report.diagnosis]))
    _tally("every form of every catalogued mistake", families)

    written = []
    for file in sorted((TESTS / "mistake_forms").glob("*/*/*.py")):
        report = grade_in_process(catalog.get(file.parent.parent.name), _module(file))
        written.append((file.parent.name, [d.mistake for d in report.diagnosis]))
    _tally("mistakes as learners wrote them (tests/mistake_forms)", written)

    named_on_correct = 0
    corpus = sorted((TESTS / "corpus").glob("*/*.py"))
    for file in corpus:
        report = grade_in_process(catalog.get(file.parent.name), _module(file))
        named_on_correct += bool(report.diagnosis)
    print(f"correct files (tests/corpus): {len(corpus)}; a mistake named for {named_on_correct} (must be 0)")

    buggy = Path(tempfile.mkdtemp()) / "attention.py"
    buggy.write_text(next((TESTS / "mistake_forms" / "attention" / "no-scale").glob("*.py")).read_text())
    env = scratch_env(buggy.parent)
    torch_s, grade_s = [], []
    for _ in range(5):
        torch_s.append(wall([sys.executable, "-c", "import torch"], env))
        grade_s.append(wall([*DLPREP, "grade", "attention", "--file", str(buggy), "--device", "cpu"], env))
    ratio = statistics.median(grade_s) / statistics.median(torch_s)
    print(f"dlprep grade attention, a buggy file diagnosed: {statistics.median(grade_s):.2f} s = {ratio:.2f} x import torch (target <= 1.5 x)")


if __name__ == "__main__":
    main()
