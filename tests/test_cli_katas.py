"""The kata commands, through Typer's CliRunner, as a learner uses them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlprep import paths
from dlprep.cli import app

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
    assert re.search(r"0/\d+ passed", output)


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
    assert set(report) == {"kata", "file", "passed", "devices", "checks", "diagnosis", "error", "duration_s"}
    assert report["kata"] == "attention" and report["passed"] is False and report["devices"] == ["cpu"]
    assert report["error"]["kind"] == "not-implemented"
    assert set(report["checks"][0]) == {"name", "device", "passed", "message", "max_abs_err", "max_rel_err"}


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


def test_grade_cuda_without_cuda_is_a_usage_error(workspace):
    pytest.importorskip("torch")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    invoke("exercise", "attention")
    result = runner.invoke(app, ["grade", "attention", "--device", "cuda"])
    assert result.exit_code == 2
    assert "no CUDA device" in result.output


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


def test_corrupt_database_is_reported_not_overwritten(tmp_path):
    paths.home().mkdir(parents=True)
    paths.database().write_bytes(b"this is not sqlite" * 100)
    result = runner.invoke(app, ["list"])
    assert result.exit_code != 0
    assert paths.database().read_bytes() == b"this is not sqlite" * 100
    assert isinstance(result.exception, Exception)


def test_ctrl_c_during_a_grade_stops_the_learners_process(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    submission = tmp_path / "spinning_attention.py"
    submission.write_text("def self_attention(Q, K, V, mask=None):\n    while True:\n        pass\n\ndef causal_mask(n, device=None):\n    pass\n")
    grading = subprocess.Popen(
        [sys.executable, "-m", "dlprep", "grade", "attention", "--file", str(submission)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )

    def learner_processes():
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if str(submission).encode() in cmdline.read_bytes() and b"dlprep.grading.child" in cmdline.read_bytes():
                    found.append(cmdline.parent.name)
            except OSError:
                pass
        return found

    deadline = time.monotonic() + 30
    while not learner_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2)  # let it reach the loop
    grading.send_signal(signal.SIGINT)
    _, stderr = grading.communicate(timeout=15)
    assert grading.returncode == 130
    assert "Interrupted" in stderr
    time.sleep(0.2)
    assert learner_processes() == []


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
