"""A passed kata comes back as a blank stub when due; the attempt passed is kept beside it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dlprep import paths, store
from dlprep.katas import workspace

from .conftest import DAY, MINUTE, T0, begin, grade, kata_state


def json_of(result) -> dict:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_due_kata_comes_back_blank_and_its_next_pass_reschedules_it(run, no_fuzz):
    mine = paths.learner_copy("softmax")
    run("exercise", "softmax")
    mine.write_text(paths.reference("softmax").read_text())
    first = json_of(run("grade", "softmax", "--json", at=T0 + 20 * MINUTE))
    assert first["passed"] and first["schedule"]["rating"] == "Good" and first["cards_moved"] == []
    due = T0 + 20 * MINUTE + 2 * DAY
    assert first["schedule"]["due"] == due.isoformat()

    listed = run("list", at=due)
    assert "1 due to write again today" in listed.output
    assert any(line.startswith("  softmax ") and "↻ today" in line for line in listed.output.splitlines())

    shown = run("exercise", "softmax", at=due)
    assert "softmax is due: write it again" in shown.output
    kept = mine.with_name("softmax.2030-01-07.py")
    assert kept.read_text() == paths.reference("softmax").read_text()
    assert mine.read_text() == paths.stub("softmax").read_text()
    assert run("exercise", "softmax", at=due + MINUTE).output.count("already exists") == 1  # begun: left as it is

    unfinished = json_of(run("grade", "softmax", "--json", at=due + 2 * MINUTE))
    assert unfinished["error"]["kind"] == "not-implemented" and unfinished["schedule"] is None
    mine.write_text(paths.reference("softmax").read_text())
    again = run("grade", "softmax", at=due + 30 * MINUTE)
    assert again.exit_code == 0
    assert "Scheduled Good (first grade passed, no hint): softmax comes back in 11 days" in " ".join(again.output.split())
    assert kata_state("softmax").due == due + 30 * MINUTE + 11 * DAY
    listed = json.loads(run("list", "--json", at=due + DAY).output)
    assert {row["id"]: row["due"] for row in listed}["softmax"] == (due + 30 * MINUTE + 11 * DAY).isoformat()


def test_grading_the_old_file_of_a_due_kata_says_how_to_begin_again(run, no_fuzz, tmp_path):
    old = tmp_path / "softmax.py"
    old.write_text(paths.reference("softmax").read_text())
    run("grade", "softmax", "--file", str(old), at=T0)
    result = run("grade", "softmax", "--file", str(old), at=T0 + 3 * DAY)
    assert result.exit_code == 0
    assert "dlprep exercise softmax keeps this file beside a blank stub" in " ".join(result.output.split())


def test_an_untouched_stub_or_a_missing_file_is_not_kept(at, no_fuzz):
    begin("softmax")
    at(T0 + 5 * MINUTE)
    grade("softmax", True)
    at(kata_state("softmax").due)
    paths.learner_copy("softmax").unlink()
    begun = begin("softmax")
    assert begun.again and begun.copy.backup is None
    assert sorted(path.name for path in paths.workspace().iterdir()) == ["softmax.py"]


def test_attempts_passed_the_same_day_are_all_kept(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    for number in range(3):
        (ws / "lstm.py").write_text(f"attempt {number}\n")
        copy = workspace.start_again("lstm", ws, date(2030, 1, 7))
        assert copy.started is workspace.Started.AGAIN
    names = sorted(path.name for path in ws.iterdir())
    assert names == ["lstm.2030-01-07-2.py", "lstm.2030-01-07-3.py", "lstm.2030-01-07.py", "lstm.py"]
    assert (ws / "lstm.2030-01-07.py").read_text() == "attempt 0\n"
    assert (ws / "lstm.2030-01-07-3.py").read_text() == "attempt 2\n"


def test_an_interruption_between_the_stub_and_its_log_is_taken_up_again(at, no_fuzz, monkeypatch):
    """The stub is written first; killed before the start is logged, the next call keeps no
    copy of the untouched stub and logs the start."""
    begin("softmax")
    paths.learner_copy("softmax").write_text(paths.reference("softmax").read_text())
    at(T0 + 5 * MINUTE)
    grade("softmax", True)
    due = kata_state("softmax").due
    at(due)
    from dlprep.katas import progress

    def killed(*args):
        raise KeyboardInterrupt

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(progress, "log_event", killed)
        begin("softmax")
    at(due + MINUTE)
    again = begin("softmax")
    assert again.again and again.copy.backup is None
    kept = sorted(path.name for path in paths.workspace().iterdir())
    assert kept == ["softmax.2030-01-07.py", "softmax.py"]
    with store.connect(write=False) as conn:
        assert conn.execute("SELECT COUNT(*) FROM kata_events WHERE event = 'started'").fetchone()[0] == 2


def test_list_shows_when_each_passed_kata_comes_back_within_80_columns(at, no_fuzz, monkeypatch):
    from typer.testing import CliRunner

    from dlprep.cli import app

    for kata, minutes in (("softmax", 20), ("classification_losses", 5)):  # Good: 2 days; Easy: 8 days
        at(T0)
        begin(kata)
        at(T0 + minutes * MINUTE)
        grade(kata, True)
    begin("lstm")
    at(T0 + DAY)
    output = CliRunner(env={"COLUMNS": "80"}).invoke(app, ["list"], catch_exceptions=False).output
    rows = {line.split()[0]: line for line in output.splitlines() if line.startswith("  ")}
    assert max(len(line) for line in output.splitlines()) <= 80
    assert rows["softmax"].endswith("↻ 09 Jan ✓ 2030-01-07")
    assert rows["classification_losses"].endswith("↻ 15 Jan ✓ 2030-01-07")
    assert "↻" not in rows["lstm"] and "↻" not in rows["attention"]
    at(T0 + 2 * DAY)
    output = CliRunner(env={"COLUMNS": "80"}).invoke(app, ["list"], catch_exceptions=False).output
    assert output.startswith("dlprep katas: 2 of 30 passed, 1 due to write again today\n")
    assert "  softmax " in output and "↻ today  ✓ 2030-01-07" in output
