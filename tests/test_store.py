"""The progress database: migrations, append-only logs, and one policy for what it cannot read or write."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

from dlprep import paths, store


def test_migrations_bring_a_new_database_to_the_latest_schema():
    with store.connect() as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"grades", "hints_shown", "schedule", "reviews", "cram_reviews", "drill_results"} <= tables


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


def test_a_bad_clock_override_is_a_clear_error():
    # A process of its own: `main` leaves with os._exit once torch is loaded, as it may be here.
    env = {**os.environ, "DLPREP_NOW": "tomorrow", "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "dlprep", "stats"], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "DLPREP_NOW='tomorrow' is not an ISO 8601 date" in result.stderr and "Traceback" not in result.stderr


# --- one policy for every command: read-only, unreadable, missing, uncreatable, damaged --------

SOMEONE_ELSE = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@pytest.fixture
def open_folder():
    """A folder every user may enter, for running dlprep as a user the permissions apply to."""
    folder = Path(tempfile.mkdtemp(prefix="dlprep-permissions-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o777)
    shutil.rmtree(folder)


def dlprep_as_someone_else(home: Path, *args: str) -> subprocess.CompletedProcess:
    """dlprep run by a user that file permissions bind: this one, or `nobody` when the tests run as root."""
    prefix = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: permissions cannot be tried")
        prefix = SOMEONE_ELSE
    env = {**os.environ, "DLPREP_HOME": str(home), "DLPREP_WORKSPACE": str(home.parent / "workspace"), "HOME": str(home.parent), "COLUMNS": "200"}
    return subprocess.run([*prefix, sys.executable, "-m", "dlprep", *args], capture_output=True, text=True, env=env, timeout=120)


def record_a_pass(home: Path, schema: int = len(store.MIGRATIONS)) -> Path:
    """A database at `schema` in which `softmax` was passed."""
    home.mkdir(parents=True, exist_ok=True)
    location = home / "dlprep.db"
    with closing(sqlite3.connect(location, isolation_level=None)) as conn:
        for number in range(schema):
            store.apply(conn, number)
        conn.execute(f"PRAGMA user_version = {schema}")
        conn.execute("INSERT INTO grades (kata, passed, devices, duration_s, graded_at, file) VALUES ('softmax', 1, '[\"cpu\"]', 1.0, '2030-01-02T00:00:00+00:00', 'f')")
    return location


@pytest.mark.parametrize("schema", [len(store.MIGRATIONS), 1], ids=["current schema", "older schema"])
def test_a_read_only_home_serves_reading_commands_and_refuses_writing_ones(open_folder, schema):
    home = open_folder / "home"
    database = record_a_pass(home, schema)
    database.chmod(0o644)
    home.chmod(0o555)
    before = database.read_bytes()
    listed = dlprep_as_someone_else(home, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {row["id"]: row["status"] for row in json.loads(listed.stdout)}["softmax"] == "passed"
    for reading in (["list"], ["hint", "softmax", "--all"], ["solution", "softmax"], ["doctor"]):
        result = dlprep_as_someone_else(home, *reading)
        assert result.returncode == 0, (reading, result.stdout, result.stderr)
    refused = dlprep_as_someone_else(home, "hint", "softmax")
    assert refused.returncode == 1
    message = " ".join(refused.stderr.split())
    assert "is read-only" in message and "records progress" in message and "Traceback" not in message
    assert database.read_bytes() == before
    assert sorted(path.name for path in home.iterdir()) == ["dlprep.db"]


def test_an_unreadable_database_or_home_is_named_as_such(open_folder):
    home = open_folder / "home"
    database = record_a_pass(home)
    database.chmod(0o000)
    result = dlprep_as_someone_else(home, "list")
    assert result.returncode == 1
    assert f"cannot read {database}: permission denied" in " ".join(result.stderr.split())
    database.chmod(0o644)
    home.chmod(0o000)
    result = dlprep_as_someone_else(home, "list")
    assert result.returncode == 1
    assert "permission denied on its folder" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_a_home_that_cannot_be_created_is_said_so_and_reading_still_works(open_folder):
    locked = open_folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    home = locked / "home"
    assert dlprep_as_someone_else(home, "list").returncode == 0
    result = dlprep_as_someone_else(home, "hint", "softmax")
    assert result.returncode == 1
    assert f"cannot create the data folder {home}: permission denied" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr and not home.exists()


@pytest.mark.parametrize("in_the_way", ["home", "parent"])
def test_a_file_in_the_way_of_the_home_is_said_so(tmp_path, monkeypatch, in_the_way):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    monkeypatch.setenv("DLPREP_HOME", str(blocker if in_the_way == "home" else blocker / "home"))
    with pytest.raises(store.StoreError, match="a file is in the way"):
        store.check(write=True)


def test_a_missing_database_reads_as_empty_and_is_created_only_to_write():
    with store.connect(write=False) as conn:
        assert conn.execute("SELECT COUNT(*) FROM grades").fetchone()[0] == 0
    assert not paths.home().exists()
    with store.connect(write=True):
        pass
    assert paths.database().is_file()


def damage_a_page(location: Path) -> None:
    """Scribble over the middle of a table page: the header stays valid, the B-tree does not."""
    with closing(sqlite3.connect(location)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'grades'").fetchone()[0]
    data = bytearray(location.read_bytes())
    damaged_page = max(root, len(data) // page // 2)
    data[(damaged_page - 1) * page + 100 : (damaged_page - 1) * page + 400] = b"\xff" * 300
    location.write_bytes(bytes(data))


def fill(rows: int) -> None:
    with store.connect() as conn:
        conn.executemany(
            "INSERT INTO grades (kata, passed, devices, duration_s, graded_at, file) VALUES (?, 0, '[]', 1.0, '2030-01-01T00:00:00+00:00', ?)",
            [("lstm", "x" * 200) for _ in range(rows)],
        )


@pytest.mark.parametrize("write", [True, False])
def test_a_damaged_page_is_refused_for_reading_and_writing_and_left_untouched(write):
    fill(2000)
    damage_a_page(paths.database())
    before = paths.database().read_bytes()
    with pytest.raises(store.StoreError, match=r"is damaged \(.*\)\. It was left untouched; `dlprep doctor --backup`"):
        with store.connect(write=write):
            pass
    assert paths.database().read_bytes() == before


def old_database_with_grades(rows: int) -> None:
    record_a_pass(paths.home(), schema=len(store.MIGRATIONS) - 1)
    with closing(sqlite3.connect(paths.database())) as conn, conn:
        conn.executemany("INSERT INTO grades (kata, passed, devices, duration_s, graded_at, file) VALUES ('lstm', 0, '[]', 1.0, 't', 'f')", [()] * rows)


def test_each_migration_of_a_database_with_data_is_preceded_by_a_backup():
    old_database_with_grades(5)
    with store.connect(write=False) as conn:
        assert store.version(conn) == len(store.MIGRATIONS)
    [backup] = store.backups(paths.database())
    assert backup.name == f"dlprep.db.schema-{len(store.MIGRATIONS) - 1}.bak"
    with closing(sqlite3.connect(backup)) as copy:
        assert store.version(copy) == len(store.MIGRATIONS) - 1
        assert copy.execute("SELECT COUNT(*) FROM grades").fetchone()[0] == 6
    with store.connect():
        pass
    assert store.backups(paths.database()) == [backup]  # nothing to migrate, nothing backed up


def test_migration_backups_roll_keeping_the_newest():
    old_database_with_grades(1)
    stale = []
    for age in range(store.BACKUPS_KEPT + 2):
        path = paths.home() / f"dlprep.db.schema-0{age}.bak"
        path.write_bytes(b"")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
        stale.append(path)
    store.check(write=True)
    kept = store.backups(paths.database())
    assert len(kept) == store.BACKUPS_KEPT
    assert kept[0].name == f"dlprep.db.schema-{len(store.MIGRATIONS) - 1}.bak"
    assert kept[1:] == stale[::-1][: store.BACKUPS_KEPT - 1]


def test_a_brand_new_database_is_not_backed_up():
    store.check(write=True)
    assert store.backups(paths.database()) == []
