"""The kata commands, through Typer's CliRunner, as a learner uses them."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from dlprep import paths, store
from dlprep.cli import app
from dlprep.katas.catalog import load

runner = CliRunner()


def invoke(*args, input=None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def workspace(tmp_path):
    return tmp_path / "workspace"


def test_welcome_without_arguments():
    result = invoke()
    assert result.exit_code == 0
    assert "dlprep exercise attention" in result.output


def test_list_json_has_every_kata_and_status():
    rows = json.loads(invoke("list", "--json").output)
    by_id = {row["id"]: row for row in rows}
    assert {"attention", "lstm", "adam", "backprop"} <= set(by_id)
    for row in rows:
        assert {"id", "section", "framework", "status"} <= set(row)
        assert row["status"] == "not started"


def test_list_table_groups_by_section():
    output = invoke("list").output
    assert "3.4" in output and "Attention and" in output and "attention" in output
    assert re.search(r"^3\.4 .* 0/\d+\s*$", output, flags=re.M)


def test_list_fits_one_screen_at_80_columns_with_every_id_whole(tmp_path):
    submission = tmp_path / "mine.py"
    submission.write_text(paths.reference("softmax").read_text())
    invoke("grade", "softmax", "--file", str(submission))
    invoke("exercise", "lstm")
    result = CliRunner(env={"COLUMNS": "80"}).invoke(app, ["list"], catch_exceptions=False)
    lines = result.output.splitlines()
    catalog = load()
    assert len(lines) <= len(catalog.katas) + len(catalog.sections) + 3
    assert max(map(len, lines)) <= 80
    for kata in catalog.katas:
        assert re.search(rf"^  {kata.id}\s", result.output, flags=re.M), kata.id
    today = f"{datetime.now(timezone.utc):%Y-%m-%d}"
    assert re.search(rf"^  softmax .*✓ {today}\s*$", result.output, flags=re.M)
    assert re.search(rf"^  lstm .*◐ {today}\s*$", result.output, flags=re.M)
    assert re.search(r"^  attention .*·\s*$", result.output, flags=re.M)


def test_exercise_writes_the_stub_and_never_clobbers(workspace):
    result = invoke("exercise", "attention")
    assert result.exit_code == 0
    copy = workspace / "attention.py"
    assert copy.read_text() == paths.stub("attention").read_text()
    assert "dlprep grade attention" in result.output
    assert "softmax(QKᵀ / √dₖ)" in result.output

    copy.write_text("# my work\n")
    result = invoke("exercise", "attention")
    assert copy.read_text() == "# my work\n"
    assert "already exists" in result.output


def test_exercise_reset_keeps_a_backup(workspace):
    invoke("exercise", "attention")
    (workspace / "attention.py").write_text("# my work\n")
    result = invoke("exercise", "attention", "--reset")
    assert (workspace / "attention.py").read_text() == paths.stub("attention").read_text()
    backups = list(workspace.glob("attention.*.bak.py"))
    assert [b.read_text() for b in backups] == ["# my work\n"]
    assert "saved as" in result.output


def test_exercise_workspace_option(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    invoke("exercise", "lstm", "--workspace", str(elsewhere))
    assert (elsewhere / "lstm.py").exists()


def test_unknown_kata_suggests_the_closest_and_exits_2():
    result = runner.invoke(app, ["exercise", "attension"])
    assert result.exit_code == 2
    assert "Did you mean `attention`?" in result.output


def test_grade_passes_the_reference_and_records_it(tmp_path):
    submission = tmp_path / "mine.py"
    submission.write_text(paths.reference("attention").read_text())
    result = invoke("grade", "attention", "--file", str(submission), "--device", "cpu")
    assert result.exit_code == 0, result.output
    assert "attention passed" in result.output
    rows = json.loads(invoke("list", "--json").output)
    assert next(r for r in rows if r["id"] == "attention")["status"] == "passed"


def test_grade_json_is_exactly_the_contract(workspace):
    invoke("exercise", "attention")
    result = invoke("grade", "attention", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) >= {"kata", "file", "passed", "devices", "checks", "diagnosis", "error", "duration_s"}  # more keys may come
    assert report["kata"] == "attention" and report["passed"] is False and report["devices"] == ["cpu"]
    assert report["error"]["kind"] == "not-implemented"
    assert set(report["checks"][0]) >= {"name", "device", "passed", "message", "max_abs_err", "max_rel_err"}


def test_grade_diagnoses_a_half_done_attempt(workspace):
    invoke("exercise", "attention")
    reference = paths.reference("attention").read_text()
    (workspace / "attention.py").write_text(reference.replace("/ math.sqrt(d_k)", ""))
    result = invoke("grade", "--json")  # no kata: the one worked on last
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["kata"] == "attention"
    assert [d["mistake"] for d in report["diagnosis"]] == ["no-scale"]


def test_grade_without_anything_started_is_a_usage_error():
    result = runner.invoke(app, ["grade"])
    assert result.exit_code == 2
    assert "dlprep exercise" in result.output


def test_grade_missing_file_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["grade", "attention"])
    assert result.exit_code == 2
    assert "dlprep exercise attention" in result.output
    result = runner.invoke(app, ["grade", "attention", "--file", str(tmp_path / "nope.py")])
    assert result.exit_code == 2


def test_grade_unknown_kata_exits_2():
    result = runner.invoke(app, ["grade", "lstn"])
    assert result.exit_code == 2
    assert "lstm" in result.output


def test_hints_come_one_at_a_time_and_are_remembered():
    first = invoke("hint", "attention").output
    second = invoke("hint", "attention").output
    assert "hint 1 of" in first and "hint 2 of" in second
    for _ in range(10):
        last = invoke("hint", "attention").output
    assert "every hint" in last


def test_solution_asks_before_the_kata_is_passed():
    refused = runner.invoke(app, ["solution", "attention"], input="n\n")
    assert refused.exit_code == 1
    assert "def self_attention" not in refused.output
    shown = invoke("solution", "attention", "--yes")
    assert shown.exit_code == 0
    assert "def self_attention" in shown.output


@pytest.mark.parametrize("command", [["list"], ["exercise", "attention"], ["hint", "attention"], ["hint", "attention", "--all"], ["solution", "attention", "--yes"], ["grade", "attention"]])
def test_every_kata_command_refuses_a_corrupt_database_and_leaves_it(command, workspace):
    workspace.mkdir()
    (workspace / "attention.py").write_text(paths.stub("attention").read_text())
    paths.home().mkdir(parents=True)
    paths.database().write_bytes(b"this is not sqlite" * 100)
    result = runner.invoke(app, command)
    assert result.exit_code == 1, result.output
    assert "is not a readable dlprep database" in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert paths.database().read_bytes() == b"this is not sqlite" * 100


def test_grade_all_grades_every_started_kata(workspace):
    invoke("exercise", "attention")
    invoke("exercise", "lstm")
    (workspace / "lstm.py").write_text(paths.reference("lstm").read_text())
    result = invoke("grade", "--all", "--json")
    assert result.exit_code == 1
    reports = {report["kata"]: report for report in json.loads(result.stdout)}
    assert set(reports) == {"attention", "lstm"}
    assert reports["lstm"]["passed"] and not reports["attention"]["passed"]
    table = invoke("grade", "--all").output
    assert "1 of 2 katas passed" in table


def test_grade_all_refuses_a_kata_argument():
    result = runner.invoke(app, ["grade", "attention", "--all"])
    assert result.exit_code == 2


# --- grade --file without a kata: the kata is the file's, or none ----------------------


def grades_recorded() -> list[str]:
    return [row["id"] for row in json.loads(invoke("list", "--json").output) if row["status"] != "not started"]


def test_grade_file_alone_grades_the_kata_the_file_defines_not_the_one_saved_last(tmp_path, workspace):
    invoke("exercise", "backprop")  # saved last: the kata a bare `dlprep grade` would pick
    submission = tmp_path / "my_work.py"
    submission.write_text(paths.reference("attention").read_text())
    result = invoke("grade", "--file", str(submission), "--json", "--device", "cpu")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["kata"] == "attention"
    assert json.loads(invoke("list", "--json").output)[2]["status"] == "in progress"  # backprop: no grade
    assert next(r for r in json.loads(invoke("list", "--json").output) if r["id"] == "attention")["status"] == "passed"


def test_grade_file_named_after_a_kata_grades_that_kata(tmp_path):
    submission = tmp_path / "softmax.v2.py"
    submission.write_text("def softmax(z, axis=-1):\n    raise NotImplementedError\n")
    report = json.loads(invoke("grade", "--file", str(submission), "--json").stdout)
    assert report["kata"] == "softmax" and report["error"]["kind"] == "missing-function"  # the name decides


@pytest.mark.parametrize(
    "source, expected",
    [
        ("def self_attention(Q, K, V, mask=None): ...\ndef causal_mask(n, device=None): ...\n"
         "def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None): ...\ndef lstm_forward(x, h0, c0, W_ih, W_hh): ...\n",
         ["several katas (lstm, attention)", "dlprep grade KATA --file"]),
        ("def self_attention(Q, K, V, mask=None): ...\n", ["attention also needs causal_mask"]),
        ("def helper(x): return x\n", ["defines none of the functions"]),
        ("def self_attention(Q, K, V mask=None):\n", ["does not parse (line 1"]),
    ],
)
def test_grade_file_that_fits_no_single_kata_is_a_usage_error_and_records_nothing(tmp_path, source, expected):
    submission = tmp_path / "scratch.py"
    submission.write_text(source)
    result = runner.invoke(app, ["grade", "--file", str(submission)])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    for text in expected:
        assert text in message
    assert grades_recorded() == []


# --- the other everyday commands ----------------------------------------------------------


@pytest.mark.parametrize("given, suggested", [("gpu", "cuda"), ("GPU", "cuda"), ("cuda:0", "cuda"), ("nvidia", "cuda"), ("both", "all"), ("cpus", "cpu")])
def test_a_near_miss_device_is_told_the_right_word(given, suggested):
    result = runner.invoke(app, ["grade", "attention", "--device", given])
    assert result.exit_code == 2
    assert f"use {suggested}" in " ".join(result.output.split())


def test_device_names_are_case_insensitive(workspace):
    invoke("exercise", "attention")
    result = runner.invoke(app, ["grade", "attention", "--device", "CPU", "--json"])
    assert result.exit_code == 1 and json.loads(result.stdout)["devices"] == ["cpu"]


@pytest.mark.parametrize("command", ["grade", "watch"])
def test_cuda_asked_for_without_one_is_refused_and_nothing_is_recorded(command, workspace):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    invoke("exercise", "attention")
    result = runner.invoke(app, [command, "attention", "--device", "cuda"])
    assert result.exit_code == 2
    assert "--device cuda needs CUDA, and PyTorch sees no CUDA device here" in " ".join(result.output.split())
    with store.connect(write=False) as conn:
        assert conn.execute("SELECT COUNT(*) FROM grades").fetchone()[0] == 0
        assert [row["event"] for row in conn.execute("SELECT event FROM kata_events")] == ["started"]  # no failed attempt


def test_hint_all_shows_the_hints_seen_so_far_and_reveals_none():
    kata = load().get("attention")
    assert "No hint seen yet" in invoke("hint", "attention", "--all").output
    invoke("hint", "attention")
    invoke("hint", "attention")
    shown = " ".join(invoke("hint", "attention", "--all").output.split())
    assert "hint 1 of" in shown and "hint 2 of" in shown and "hint 3 of" not in shown
    assert " ".join(kata.hints[1].split()[:6]) in shown
    assert "hint 3 of" in invoke("hint", "attention").output


def test_exercise_after_passing_says_so_and_names_what_comes_next(tmp_path):
    submission = tmp_path / "attention.py"
    submission.write_text(paths.reference("attention").read_text())
    invoke("grade", "attention", "--file", str(submission), "--device", "cpu")
    output = " ".join(invoke("exercise", "attention").output.split())
    assert "You passed attention on" in output
    assert "Next: dlprep exercise multihead" in output
    assert "implement it, then run" not in output


def test_next_kata_skips_passed_ones_and_wraps_around():
    from dlprep.katas import progress

    ids = load().ids()
    passed = progress.Status(progress.State.PASSED)
    status = {kata_id: passed for kata_id in ids}
    assert progress.next_to_do(ids, status, ids[-1]) is None
    status[ids[0]] = progress.Status(progress.State.IN_PROGRESS)
    assert progress.next_to_do(ids, status, ids[5]) == ids[0]
    status[ids[7]] = progress.Status(progress.State.NOT_STARTED)
    assert progress.next_to_do(ids, status, ids[5]) == ids[7]


def test_exercise_reset_of_an_untouched_stub_makes_no_backup(workspace):
    invoke("exercise", "lstm")
    result = invoke("exercise", "lstm", "--reset")
    assert list(workspace.glob("lstm.*.bak.py")) == []
    assert "nothing to back up" in result.output
    assert (workspace / "lstm.py").read_text() == paths.stub("lstm").read_text()


@pytest.mark.parametrize("kata_id", ["transformer_block", "attention", "backprop"])
def test_solution_piped_prints_the_reference_exactly(kata_id):
    shown = invoke("solution", kata_id, "--yes")
    assert shown.stdout == paths.reference(kata_id).read_text()


def test_solution_in_a_narrow_terminal_wraps_and_cuts_nothing(monkeypatch):
    import io

    from rich.console import Console

    from dlprep.cli import katas as katas_cli

    screen = io.StringIO()
    monkeypatch.setattr(katas_cli, "console", Console(file=screen, force_terminal=True, width=50, color_system=None))
    invoke("solution", "transformer_block", "--yes")
    source = paths.reference("transformer_block").read_text()
    longest = max(source.splitlines(), key=len)
    assert len(longest) > 50
    shown = "".join(line.split("│", 1)[-1].strip() for line in screen.getvalue().splitlines())
    assert "".join(longest.split()) in "".join(shown.split())
