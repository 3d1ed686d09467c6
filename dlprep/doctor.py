"""`dlprep doctor`: named checks of what dlprep relies on, and a rescue for a damaged database.

Each check is a function in `CHECKS` that returns one `Finding` and never raises: what it
cannot inspect is its finding. To add a check (the grading isolation layers a machine offers,
say), write a function returning a `Finding` and append it to `CHECKS`; `dlprep doctor` shows
every finding in that order and exits 1 when one has failed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable

from dlprep import clock, paths, store


class Status(str, Enum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Finding:
    check: str
    status: Status
    detail: str


def data_folder() -> Finding:
    home = paths.home()
    if not home.exists():
        reachable = next((parent for parent in home.parents if parent.exists()), None)
        if reachable is not None and os.access(reachable, os.W_OK):
            return Finding("data folder", Status.OK, f"{home} (created when something is first recorded)")
        return Finding("data folder", Status.FAIL, f"{home} does not exist and cannot be created; set {paths.HOME_ENV}")
    if not home.is_dir():
        return Finding("data folder", Status.FAIL, f"{home} is not a folder; set {paths.HOME_ENV} to one")
    if not os.access(home, os.R_OK | os.X_OK):
        return Finding("data folder", Status.FAIL, f"{home} cannot be read")
    if not os.access(home, os.W_OK):
        return Finding("data folder", Status.WARN, f"{home} is read-only: progress can be shown, not recorded")
    return Finding("data folder", Status.OK, str(home))


def database() -> Finding:
    location = paths.database()
    try:
        if not location.exists():
            return Finding("database", Status.OK, f"{location} not created yet: nothing recorded")
        with store.connect(write=False) as conn:
            rows = sum(_counts(conn).values())
            schema = store.version(conn)
    except (store.StoreError, OSError, sqlite3.DatabaseError) as exc:
        return Finding("database", Status.FAIL, str(exc))
    summary = f"{location}: schema {schema}, intact, {rows} rows"
    reason = store.read_only_reason(location)
    return Finding("database", Status.WARN, f"{summary}; read-only ({reason})") if reason else Finding("database", Status.OK, summary)


def migration_backups() -> Finding:
    found = store.backups(paths.database()) if paths.home().is_dir() else []
    if not found:
        return Finding("migration backups", Status.OK, "none yet (one is written before each schema change)")
    return Finding("migration backups", Status.OK, f"{len(found)}, newest {found[0]}")


def workspace() -> Finding:
    folder = paths.workspace()
    if not folder.exists():
        return Finding("workspace", Status.OK, f"{folder} (created by `dlprep exercise`)")
    if not os.access(folder, os.W_OK):
        return Finding("workspace", Status.FAIL, f"{folder} is not writable: `dlprep exercise` cannot write stubs there")
    return Finding("workspace", Status.OK, f"{folder}, {len(list(folder.glob('*.py')))} kata files")


def sqlite_program() -> Finding:
    program = shutil.which("sqlite3")
    if program is None:
        return Finding("sqlite3 program", Status.WARN, "not installed: `doctor --backup` rebuilds a damaged database table by table instead of with .recover")
    return Finding("sqlite3 program", Status.OK, f"{program} (used by `doctor --backup` for .recover)")


def pytorch() -> Finding:
    from importlib import metadata

    try:
        release = metadata.version("torch")
    except metadata.PackageNotFoundError:
        return Finding("PyTorch", Status.FAIL, "not installed: torch katas cannot be graded")
    from dlprep.grading import grader

    devices = "the CPU and CUDA" if grader.cuda_available() else "the CPU (no CUDA device seen)"
    return Finding("PyTorch", Status.OK, f"{release}; grades run on {devices}")


_LAYER_NAMES = {
    "user": "isolation: a user of its own",
    "limits": "isolation: limits",
    "landlock": "isolation: Landlock",
    "seccomp": "isolation: seccomp",
}


def _isolation_layer(layer: str) -> Callable[[], Finding]:
    """What the grader can shut a learner's process in with, one layer of `grading.isolation`."""

    def check() -> Finding:
        from dlprep.grading import isolation

        missing = isolation.offered()[layer]
        if missing is None:
            return Finding(_LAYER_NAMES[layer], Status.OK, "available")
        # Without a user of its own, Landlock still keeps the references out of reach.
        return Finding(_LAYER_NAMES[layer], Status.WARN, f"not available: {missing}")

    check.__name__ = f"isolation_{layer}"
    return check


def isolation_strict() -> Finding:
    from dlprep.grading import isolation

    try:
        isolation.check_strict("strict")
    except isolation.IsolationError as exc:
        return Finding("isolation: --isolation strict", Status.WARN, f"would refuse to grade: {exc}")
    return Finding("isolation: --isolation strict", Status.OK, "can grade here (the strong layers are all available)")


CHECKS: list[Callable[[], Finding]] = [
    data_folder, database, migration_backups, workspace, sqlite_program, pytorch,
    *(_isolation_layer(layer) for layer in ("user", "limits", "landlock", "seccomp")), isolation_strict,
]
"""Every check `dlprep doctor` runs, in order. Append new checks here."""


def run(checks: list[Callable[[], Finding]] = CHECKS) -> list[Finding]:
    findings = []
    for check in checks:
        try:
            findings.append(check())
        except Exception as exc:  # a check that breaks is a finding, not the end of the report
            findings.append(Finding(check.__name__.replace("_", " "), Status.FAIL, f"the check itself failed: {exc!r}"))
    return findings


# --- doctor --backup ------------------------------------------------------------------


class RescueError(Exception):
    """The database could not be copied aside; nothing was changed."""


@dataclass
class Rescue:
    copy: Path
    """Where the database, exactly as it was, was copied."""
    problems: list[str]
    """What `PRAGMA quick_check` found; empty when nothing needed rebuilding."""
    method: str = ""
    """How it was rebuilt: `sqlite3 .recover`, or table by table in Python."""
    rows: dict[str, int] = field(default_factory=dict)
    """Rows of each table in the rebuilt database."""
    notes: list[str] = field(default_factory=list)


def _sidecars(location: Path) -> list[Path]:
    return [location.with_name(location.name + suffix) for suffix in ("-wal", "-shm")]


def _copy_aside(location: Path) -> Path:
    """The database and its WAL, byte for byte: a damaged file may defeat SQLite's own backup."""
    copy = location.with_name(f"{location.name}.{clock.now():%Y%m%d-%H%M%S}.copy")
    try:
        shutil.copy2(location, copy)
        for sidecar in _sidecars(location):
            if sidecar.exists():
                shutil.copy2(sidecar, copy.with_name(copy.name + sidecar.name[len(location.name):]))
    except OSError as exc:
        raise RescueError(f"could not copy {location} aside: {exc.strerror or exc}. Nothing was changed.") from None
    return copy


def _open_copy(copy: Path) -> sqlite3.Connection:
    """The copy, read-only; without a WAL of its own, as an immutable file (no locks, no -shm)."""
    return store.open_read_only(copy, immutable=not _sidecars(copy)[0].exists())


def _recover_with_sqlite3(damaged: Path, target: Path) -> str | None:
    """Rebuild with the sqlite3 program's .recover; why not, when it cannot."""
    program = shutil.which("sqlite3")
    if program is None:
        return "the sqlite3 program is not installed"
    dump = subprocess.run([program, str(damaged), ".recover"], capture_output=True, text=True, timeout=300)
    if dump.returncode != 0 or "CREATE TABLE" not in dump.stdout:
        return f"sqlite3 .recover failed ({(dump.stderr or 'no output').strip().splitlines()[-1]})"
    load = subprocess.run([program, str(target)], input=dump.stdout, capture_output=True, text=True, timeout=300)
    if load.returncode != 0:
        return f"the recovered SQL did not load ({load.stderr.strip().splitlines()[-1]})"
    return None


def _salvage_rows(source: sqlite3.Connection, table: str) -> dict[int, tuple]:
    """Every row of `table` that can still be read: forwards until a damaged page, then backwards."""
    rows: dict[int, tuple] = {}
    for order in ("ASC", "DESC"):
        try:
            for row in source.execute(f'SELECT rowid, * FROM "{table}" ORDER BY rowid {order}'):
                if row[0] in rows:
                    break
                rows[row[0]] = tuple(row[1:])
        except sqlite3.DatabaseError:
            continue
    return rows


def _rebuild_table_by_table(damaged: Path, target: Path, schema: int) -> list[str]:
    """A fresh database at `schema` (dlprep's migrations), filled with the readable rows."""
    notes = []
    with closing(_open_copy(damaged)) as source, closing(sqlite3.connect(target, isolation_level=None)) as fresh:
        store.migrate_unshared(fresh, schema)
        for table in _tables(fresh):
            try:
                columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
            except sqlite3.DatabaseError as exc:
                notes.append(f"{table}: unreadable ({exc})")
                continue
            wanted = [row[1] for row in fresh.execute(f'PRAGMA table_info("{table}")')]
            if columns != wanted:
                notes.append(f"{table}: not in the damaged database's schema, left empty")
                continue
            rows = _salvage_rows(source, table)
            marks = ", ".join("?" * (len(columns) + 1))
            with fresh:
                fresh.executemany(f'INSERT OR IGNORE INTO "{table}" (rowid, {", ".join(columns)}) VALUES ({marks})', [(rowid, *row) for rowid, row in sorted(rows.items())])
    return notes


def _schema_of(damaged: Path) -> int:
    """The schema the damaged database had, read from its header (bytes 60-63: user_version)."""
    with damaged.open("rb") as file:
        header = file.read(64)
    recorded = int.from_bytes(header[60:64], "big") if len(header) == 64 else 0
    return recorded if 0 < recorded <= len(store.MIGRATIONS) else len(store.MIGRATIONS)


def _tables(conn: sqlite3.Connection) -> list[str]:
    """dlprep's tables (SQLite's own left out)."""
    return [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in each table."""
    return {table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in _tables(conn)}


def _sound(location: Path) -> bool:
    """Intact, and still holding the grades table (a recovery can lose the schema itself)."""
    with closing(sqlite3.connect(location)) as conn:
        return not store.problems(conn) and "grades" in _counts(conn)


def backup_and_rebuild(location: Path | None = None) -> Rescue:
    """Copy the database aside; when it is damaged, rebuild what can be read and put that in its place.

    The copy keeps the file exactly as it was. The rebuild uses `sqlite3 .recover` where that
    program exists and works, and reads the tables row by row otherwise. A database too damaged
    for both is left where it was.
    """
    location = location or paths.database()
    if not location.exists():
        raise RescueError(f"there is no database at {location} yet: nothing to back up.")
    reason = store.read_only_reason(location)
    if reason:
        raise RescueError(f"{location} is read-only ({reason}): the rebuilt database could not replace it.")
    copy = _copy_aside(location)
    with closing(_open_copy(copy)) as conn:
        found = store.problems(conn)
    rescue = Rescue(copy, found)
    if not found:
        return rescue
    rebuilt = location.with_name(f"{location.name}.rebuilding")
    rebuilt.unlink(missing_ok=True)
    failure = _recover_with_sqlite3(copy, rebuilt)
    if failure is None and _sound(rebuilt):
        rescue.method = "sqlite3 .recover"
    else:
        rescue.notes.append(failure or "sqlite3 .recover lost the schema")
        rebuilt.unlink(missing_ok=True)
        rescue.notes += _rebuild_table_by_table(copy, rebuilt, _schema_of(copy))
        rescue.method = "table by table"
    with closing(sqlite3.connect(rebuilt)) as conn:
        rescue.rows = _counts(conn)
    # The old WAL belongs to the damaged file: replayed onto the rebuilt one it would damage it again.
    for sidecar in _sidecars(location):
        sidecar.unlink(missing_ok=True)
    os.replace(rebuilt, location)
    return rescue
