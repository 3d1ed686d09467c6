"""The learner's progress on katas: grades recorded, hints shown, status derived from both."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path

from dlprep import clock, paths, store


class State(str, Enum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    PASSED = "passed"


@dataclass(frozen=True)
class Status:
    state: State
    passed_at: datetime | None = None
    worked_at: datetime | None = None
    """In progress: when the kata was last graded or its file saved, whichever is later."""

    def label(self) -> str:
        if self.state is State.PASSED and self.passed_at is not None:
            return f"passed {self.passed_at:%Y-%m-%d}"
        return self.state.value


def record_grade(kata: str, passed: bool, devices: list[str], duration_s: float, file: str, error_kind: str | None) -> None:
    with store.connect(write=True) as conn:
        conn.execute(
            "INSERT INTO grades (kata, passed, devices, duration_s, graded_at, file, error_kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kata, int(passed), json.dumps(devices), duration_s, clock.now().isoformat(), file, error_kind),
        )


def statuses(kata_ids: list[str], workspace: Path | None = None) -> dict[str, Status]:
    """Passed (with the first passing date) if any grade passed; in progress once started."""
    with store.connect(write=False) as conn:
        rows = conn.execute(
            "SELECT kata, MIN(CASE WHEN passed THEN graded_at END) AS passed_at, MAX(graded_at) AS graded_at FROM grades GROUP BY kata"
        ).fetchall()
    graded = {row["kata"]: row for row in rows}
    result = {}
    for kata_id in kata_ids:
        row = graded.get(kata_id)
        copy = paths.learner_copy(kata_id, workspace)
        saved = datetime.fromtimestamp(copy.stat().st_mtime, timezone.utc) if copy.exists() else None
        if row is not None and row["passed_at"]:
            result[kata_id] = Status(State.PASSED, datetime.fromisoformat(row["passed_at"]))
        elif row is not None or saved is not None:
            graded_at = datetime.fromisoformat(row["graded_at"]) if row is not None else None
            result[kata_id] = Status(State.IN_PROGRESS, worked_at=max(t for t in (saved, graded_at) if t is not None))
        else:
            result[kata_id] = Status(State.NOT_STARTED)
    return result


def next_hint(kata_id: str, hints: tuple[str, ...]) -> tuple[int, str] | None:
    """The next hint not yet shown (1-based number and text), recorded as shown; None when all were."""
    with store.connect(write=True) as conn:
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT count FROM hints_shown WHERE kata = ?", (kata_id,)).fetchone()
            shown = row["count"] if row else 0
            if shown >= len(hints):
                return None
            conn.execute(
                "INSERT INTO hints_shown (kata, count) VALUES (?, ?) ON CONFLICT (kata) DO UPDATE SET count = excluded.count",
                (kata_id, shown + 1),
            )
    return shown + 1, hints[shown]


def hints_seen(kata_id: str, hints: tuple[str, ...]) -> list[str]:
    """The hints shown so far, in order (none are recorded as shown by reading them again)."""
    with store.connect(write=False) as conn:
        row = conn.execute("SELECT count FROM hints_shown WHERE kata = ?", (kata_id,)).fetchone()
    return list(hints[: row["count"] if row else 0])


def next_to_do(kata_ids: list[str], status: dict[str, Status], after: str) -> str | None:
    """The first kata not yet passed after `after` in catalog order (wrapping around); None when all are."""
    start = kata_ids.index(after) + 1
    for kata_id in kata_ids[start:] + kata_ids[:start]:
        if status[kata_id].state is not State.PASSED:
            return kata_id
    return None


def last_worked_on(kata_ids: list[str], workspace: Path | None = None) -> str | None:
    """The kata whose workspace copy was saved most recently."""
    copies = [(paths.learner_copy(k, workspace), k) for k in kata_ids]
    existing = [(path.stat().st_mtime, kata) for path, kata in copies if path.exists()]
    return max(existing)[1] if existing else None
