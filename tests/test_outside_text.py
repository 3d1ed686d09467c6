"""Text from outside dlprep is printed as it is, never read as Rich markup.

Paths, the learner's own notes, error messages and the learner's files may hold square
brackets: `[y/N]`, `x[i]`, `[/b]`. Read as markup, the first two vanish from the output and the
third raises inside dlprep. Every command that prints such text is tried with all three.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from dlprep import paths
from dlprep.cli import app
from dlprep.cli.app import console
from dlprep.katas.catalog import load

from .cards.conftest import write

ODD = "odd [y/N] x[i] [/b]"
runner = CliRunner()


def squeezed(text: str) -> str:
    """Without whitespace: Rich wraps lines wherever the temp path's length puts the edge."""
    return "".join(text.split())


def shows(result, text: str) -> bool:
    return squeezed(text) in squeezed(result.output)


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.fixture
def odd_folder(tmp_path):
    folder = tmp_path / ODD
    folder.mkdir(parents=True)
    return folder


def test_an_error_naming_a_path_shows_the_path(odd_folder):
    missing = odd_folder / "attention.py"
    result = invoke("grade", "--file", str(missing))
    assert result.exit_code == 2 and shows(result, str(missing))


def test_exercise_and_a_verbose_grade_show_the_workspace_path(odd_folder):
    result = invoke("exercise", "attention", "--workspace", str(odd_folder))
    assert result.exit_code == 0 and shows(result, str(odd_folder / "attention.py"))
    file = odd_folder / "attention.py"
    file.write_text(paths.reference("attention").read_text().replace("/ math.sqrt(d_k)", ""))
    result = invoke("grade", "attention", "--workspace", str(odd_folder), "--device", "cpu", "--verbose")
    assert result.exit_code == 1 and shows(result, f"attention: {file}")


def test_the_learners_own_cards_are_shown_as_written(tmp_path):
    notes = write(tmp_path / "notes", {"odd.md": f"## odd-card\ntags: {ODD.split()[0]}\n\nQ: What is {ODD}?\n\nA: {ODD}.\n"})
    listed = invoke("cards", "list", "--deck", str(notes))
    assert listed.exit_code == 0 and shows(listed, f"What is {ODD}?")
    shown = invoke("cards", "show", "odd-card", "--deck", str(notes))
    assert shown.exit_code == 0 and shows(shown, f"What is {ODD}?") and shows(shown, f"A: {ODD}.".removeprefix("A: "))
    assert shows(shown, f"tags {ODD.split()[0]}")


def test_watch_asks_before_the_solution_with_its_choices_shown():
    from dlprep.cli.watch import _solution

    class Declines:
        def read(self, timeout):
            return "n"

    with console.capture() as captured:
        _solution(load().get("attention"), Declines())
    assert "Show the reference anyway? [y/N]" in captured.get()
