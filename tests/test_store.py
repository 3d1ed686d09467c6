"""The progress database: migrations, append-only logs, refusal of what it cannot read."""

from __future__ import annotations

import sqlite3

import pytest

from dlprep import paths, store


def test_migrations_bring_a_new_database_to_the_latest_schema():
    with store.connect() as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"grades", "hints_shown", "card_schedule", "card_reviews", "drill_results"} <= tables


def test_logs_are_append_only():
    with store.connect() as conn:
        conn.execute("INSERT INTO grades (kata, passed, devices, duration_s, graded_at, file) VALUES ('x', 1, '[]', 1.0, 't', 'f')")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM grades")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE grades SET passed = 0")


def test_a_newer_database_is_refused_and_left_byte_for_byte():
    paths.home().mkdir(parents=True)
    with sqlite3.connect(paths.database()) as conn:
        conn.execute(f"PRAGMA user_version = {len(store.MIGRATIONS) + 1}")
    before = paths.database().read_bytes()
    with pytest.raises(store.StoreError, match="newer dlprep"):
        with store.connect():
            pass
    assert paths.database().read_bytes() == before


def test_a_bad_clock_override_is_a_clear_error(monkeypatch, capsys):
    from dlprep.cli import main

    monkeypatch.setenv("DLPREP_NOW", "tomorrow")
    monkeypatch.setattr("sys.argv", ["dlprep", "stats"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    assert "DLPREP_NOW='tomorrow' is not an ISO 8601 date" in capsys.readouterr().err
