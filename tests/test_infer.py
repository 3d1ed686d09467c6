"""Which kata a file is for: its name, else the one kata whose every function it defines; never a guess."""

from __future__ import annotations

import itertools

import pytest

from dlprep import paths
from dlprep.katas.catalog import load
from dlprep.katas.infer import KataNotInferred, kata_of_file, top_level_names

CATALOG = load()


@pytest.mark.parametrize("kata", CATALOG.katas, ids=lambda k: k.id)
@pytest.mark.parametrize("source", [paths.stub, paths.reference], ids=["stub", "reference"])
def test_a_kata_file_under_any_name_is_recognised_by_what_it_defines(tmp_path, kata, source):
    submission = tmp_path / "my_work.py"
    submission.write_text(source(kata.id).read_text())
    assert kata_of_file(submission, CATALOG) == kata


@pytest.mark.parametrize("kata", CATALOG.katas, ids=lambda k: k.id)
def test_the_name_decides_before_the_contents(tmp_path, kata):
    other = CATALOG.katas[(CATALOG.katas.index(kata) + 1) % len(CATALOG.katas)]
    for name in (f"{kata.id}.py", f"{kata.id}.attempt-2.py"):
        submission = tmp_path / name
        submission.write_text(paths.reference(other.id).read_text())
        assert kata_of_file(submission, CATALOG) == kata


@pytest.mark.parametrize("first, second", list(itertools.combinations(["attention", "lstm", "adam", "backprop", "conv2d"], 2)))
def test_two_katas_in_one_file_name_both_and_pick_neither(tmp_path, first, second):
    submission = tmp_path / "scratch.py"
    submission.write_text(paths.stub(first).read_text() + "\n" + paths.stub(second).read_text())
    with pytest.raises(KataNotInferred) as raised:
        kata_of_file(submission, CATALOG)
    assert set(raised.value.candidates) == {first, second}
    assert "dlprep grade KATA --file" in str(raised.value)


def test_a_helper_named_like_another_katas_function_does_not_make_it_ambiguous(tmp_path):
    submission = tmp_path / "scratch.py"
    submission.write_text(paths.reference("multihead").read_text() + "\ndef softmax(z):\n    return z\n")
    assert kata_of_file(submission, CATALOG).id == "multihead"


def test_only_top_level_definitions_count_and_the_file_is_not_run(tmp_path):
    source = "import sys\nsys.exit(3)\nclass Adam:\n    def step(self): ...\ndef outer():\n    def AdamW(): ...\n"
    assert top_level_names(source) == {"Adam", "outer"}
    submission = tmp_path / "scratch.py"
    submission.write_text(source)
    with pytest.raises(KataNotInferred, match="adam also needs AdamW"):
        kata_of_file(submission, CATALOG)
