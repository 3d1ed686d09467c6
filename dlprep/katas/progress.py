"""The learner's progress on katas: grades recorded, hints shown, status derived from both."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
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

    def label(self) -> str:
        if self.state is State.PASSED and self.passed_at is not None:
            return f"passed {self.passed_at:%Y-%m-%d}"
        return self.state.value


def record_grade(kata: str, passed: bool, devices: list[str], duration_s: float, file: str, error_kind: str | None) -> None:
    with store.connect() as conn:
        conn.execute(
            "INSERT INTO grades (kata, passed, devices, duration_s, graded_at, file, error_kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kata, int(passed), json.dumps(devices), duration_s, clock.now().isoformat(), file, error_kind),
        )


def statuses(kata_ids: list[str], workspace: Path | None = None) -> dict[str, Status]:
    """Passed (with the first passing date) if any grade passed; in progress once started."""
    with store.connect() as conn:
        rows = conn.execute(
            "SELECT kata, MIN(CASE WHEN passed THEN graded_at END) AS passed_at, COUNT(*) AS grades FROM grades GROUP BY kata"
        ).fetchall()
    graded = {row["kata"]: row for row in rows}
    result = {}
    for kata_id in kata_ids:
        row = graded.get(kata_id)
        if row is not None and row["passed_at"]:
            result[kata_id] = Status(State.PASSED, datetime.fromisoformat(row["passed_at"]))
        elif row is not None or paths.learner_copy(kata_id, workspace).exists():
            result[kata_id] = Status(State.IN_PROGRESS)
        else:
            result[kata_id] = Status(State.NOT_STARTED)
    return result


def next_hint(kata_id: str, hints: tuple[str, ...]) -> tuple[int, str] | None:
    """The next hint not yet shown (1-based number and text), recorded as shown; None when all were."""
    with store.connect() as conn:
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


def last_worked_on(kata_ids: list[str], workspace: Path | None = None) -> str | None:
    """The kata whose workspace copy was saved most recently."""
    copies = [(paths.learner_copy(k, workspace), k) for k in kata_ids]
    existing = [(path.stat().st_mtime, kata) for path, kata in copies if path.exists()]
    return max(existing)[1] if existing else None
