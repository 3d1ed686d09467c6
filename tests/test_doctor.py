"""`dlprep doctor`: named checks that never raise, and `--backup`, which rescues a damaged database."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from typer.testing import CliRunner

from dlprep import doctor, paths, store
from dlprep.cli import app

from .test_store import damage_a_page, fill

runner = CliRunner()


def said(result) -> str:
    """The output with Rich's line wrapping undone: where it wraps depends on the temp path's length."""
    return " ".join(result.output.split())


def test_every_check_names_itself_and_a_fresh_setup_passes():
    findings = doctor.run()
    assert [f.check for f in findings] == [
        "data folder", "database", "migration backups", "workspace", "sqlite3 program", "PyTorch",
        "isolation: a user of its own", "isolation: limits", "isolation: Landlock", "isolation: seccomp",
        "isolation: --isolation strict",
    ]
    assert all(f.status is not doctor.Status.FAIL for f in findings), findings
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0
    for finding in findings:
        assert finding.check in said(result)


def test_a_check_that_breaks_is_a_failed_finding_and_the_others_still_run():
    def isolation_layers() -> doctor.Finding:
        raise RuntimeError("no namespaces here")

    findings = doctor.run([doctor.data_folder, isolation_layers, doctor.workspace])
    assert [f.check for f in findings] == ["data folder", "isolation layers", "workspace"]
    assert findings[1].status is doctor.Status.FAIL and "no namespaces here" in findings[1].detail


def test_doctor_fails_on_a_damaged_database_and_says_what_to_do():
    fill(2000)
    damage_a_page(paths.database())
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "is damaged" in said(result) and "doctor --backup" in said(result)


@pytest.mark.parametrize("sqlite3_program", ["as installed", "missing"])
def test_backup_keeps_the_damaged_file_and_rebuilds_what_can_be_read(monkeypatch, sqlite3_program):
    if sqlite3_program == "missing":
        monkeypatch.setenv("PATH", "")
    fill(2000)
    damage_a_page(paths.database())
    damaged = paths.database().read_bytes()
    result = runner.invoke(app, ["doctor", "--backup"])
    assert result.exit_code == 0, result.output
    [copy] = paths.home().glob("dlprep.db.*.copy")
    assert copy.read_bytes() == damaged
    assert "was rebuilt" in said(result)
    with store.connect() as conn:  # intact again: the policy lets every command use it
        kept = conn.execute("SELECT COUNT(*) FROM grades").fetchone()[0]
    assert 1500 <= kept < 2000


def test_backup_of_a_sound_database_only_copies_it():
    fill(10)
    before = paths.database().read_bytes()
    result = runner.invoke(app, ["doctor", "--backup"])
    assert result.exit_code == 0 and "intact: nothing to rebuild" in said(result)
    [copy] = paths.home().glob("dlprep.db.*.copy")
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM grades").fetchone()[0] == 10
    assert paths.database().read_bytes() == before


def test_backup_without_a_database_is_an_error_that_changes_nothing():
    result = runner.invoke(app, ["doctor", "--backup"])
    assert result.exit_code == 1 and "nothing to back up" in said(result)
    assert not paths.home().exists()
