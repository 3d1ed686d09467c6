"""The learner's progress on katas: grades recorded, hints shown, status derived from both.

Recording a grade is where katas meet the schedule (`memory`, `concepts`): a pass is rated, a
failure whose diagnosis names mistakes pulls their cards forward. Those modules load fsrs and
the deck, so they are imported only when a grade is recorded: `dlprep list` stays light.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from dlprep import clock, paths, store

if TYPE_CHECKING:
    from dlprep.grading.report import GradeReport
    from dlprep.katas.concepts import Pulled
    from dlprep.katas.memory import Outcome


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
    due: datetime | None = None
    """Passed: when it comes back for a re-implementation."""


def log_event(conn, kata: str, event: str, now: datetime) -> None:
    """Log what an attempt involved ('started', 'hint', 'solution', 'failed'), in the caller's transaction."""
    at = now.astimezone(timezone.utc).isoformat(timespec="microseconds")  # as the schedule stores times
    conn.execute("INSERT INTO kata_events (kata, event, at) VALUES (?, ?, ?)", (kata, event, at))


@dataclass(frozen=True)
class Recorded:
    """What recording a grade did besides keeping it."""

    scheduled: Outcome | None = None  # a pass: the kata's rating and when it comes back
    pulled: Pulled | None = None  # a failure naming mistakes: the cards now due


def day_starts_at() -> int:
    """The hour study days begin (the flashcard setting); its default when config.toml cannot be
    used, which the flashcard commands report: a grade is never lost to a typo there."""
    from dlprep.cards import config

    try:
        return config.load().day_starts_at
    except config.ConfigError:
        return config.Settings.day_starts_at


def day_end(now: datetime) -> datetime:
    """The end of the study day `now` is in."""
    from dlprep.cards import days

    return days.bounds(now, day_starts_at())[1]


def _pull(conn, kata: str, mistakes: tuple[str, ...], now: datetime) -> Pulled | None:
    from dlprep.cards.deck import load
    from dlprep.katas.concepts import pull_forward

    return pull_forward(conn, load(), kata, mistakes, now) if mistakes else None


def record_grade(
    kata: str,
    passed: bool,
    devices: list[str],
    duration_s: float,
    file: str,
    error_kind: str | None,
    mistakes: Iterable[str] = (),
) -> Recorded:
    """Keep a grade; a pass is rated and rescheduled with it, in one transaction, and a failure
    pulls forward the cards of the `mistakes` its diagnosis names."""
    from dlprep.katas import memory

    now = clock.now()
    with store.connect(write=True) as conn:
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            memory.adopt_earlier_passes(conn)
            conn.execute(
                "INSERT INTO grades (kata, passed, devices, duration_s, graded_at, file, error_kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kata, int(passed), json.dumps(devices), duration_s, now.isoformat(), file, error_kind),
            )
            scheduled = memory.record_pass(conn, kata, now, day_end(now)) if passed else None
        pulled = None if passed else _pull(conn, kata, tuple(mistakes), now)
    return Recorded(scheduled, pulled)


def record_watched_failure(kata: str, error_kind: str | None, mistakes: Iterable[str] = ()) -> Recorded:
    """A failing grade in watch mode, which keeps passing grades only: logged as part of the
    attempt (what rates its pass), and its mistakes' cards pulled forward as `record_grade` does."""
    from dlprep.katas import memory

    now = clock.now()
    with store.connect(write=True) as conn:
        if error_kind != memory.UNFINISHED:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                log_event(conn, kata, "failed", now)
        return Recorded(pulled=_pull(conn, kata, tuple(mistakes), now))


def record_report(report: GradeReport, *, watched: bool) -> Recorded:
    """Record a grade as its command keeps it: every grade of `dlprep grade`; in watch mode
    (`watched`), which keeps passing grades only, a failure as part of the attempt."""
    error_kind = report.error.kind if report.error else None
    mistakes = [d.mistake for d in report.diagnosis]
    if watched and not report.passed:
        return record_watched_failure(report.kata, error_kind, mistakes)
    return record_grade(report.kata, report.passed, report.devices, report.duration_s, report.file, error_kind, mistakes)


def solution_shown(kata: str) -> None:
    """Log a look at the reference, which makes the attempt's pass an Again; skipped where nothing
    can be recorded (a read-only data folder, where no grade can be recorded either)."""
    try:
        with store.connect(write=True) as conn:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                log_event(conn, kata, "solution", clock.now())
    except store.StoreError:
        return


def _due_dates(conn) -> dict[str, datetime]:
    """When each passed kata comes back; fsrs is loaded only for katas passed before scheduling."""
    rows = conn.execute("SELECT item, due FROM schedule WHERE kind = 'kata'").fetchall()
    due = {row["item"]: datetime.fromisoformat(row["due"]) for row in rows}
    if conn.execute("SELECT 1 FROM grades WHERE passed = 1 AND kata NOT IN (SELECT item FROM schedule WHERE kind = 'kata') LIMIT 1").fetchone():
        from dlprep.katas import memory

        due.update({kata: state.due for kata, state in memory.states(conn).items() if kata not in due})
    return due


def statuses(kata_ids: list[str], workspace: Path | None = None, conn: sqlite3.Connection | None = None) -> dict[str, Status]:
    """Passed (with the first passing date and the next due date) if any grade passed; in progress once started.
    Read through `conn` when the caller has one open, else through a connection of its own."""
    if conn is None:
        with store.connect(write=False) as own:
            return statuses(kata_ids, workspace, own)
    rows = conn.execute(
        "SELECT kata, MIN(CASE WHEN passed THEN graded_at END) AS passed_at, MAX(graded_at) AS graded_at FROM grades GROUP BY kata"
    ).fetchall()
    due = _due_dates(conn)
    graded = {row["kata"]: row for row in rows}
    result = {}
    for kata_id in kata_ids:
        row = graded.get(kata_id)
        copy = paths.learner_copy(kata_id, workspace)
        saved = datetime.fromtimestamp(copy.stat().st_mtime, timezone.utc) if copy.exists() else None
        if row is not None and row["passed_at"]:
            result[kata_id] = Status(State.PASSED, datetime.fromisoformat(row["passed_at"]), due=due.get(kata_id))
        elif row is not None or saved is not None:
            graded_at = datetime.fromisoformat(row["graded_at"]) if row is not None else None
            result[kata_id] = Status(State.IN_PROGRESS, worked_at=max(t for t in (saved, graded_at) if t is not None))
        else:
            result[kata_id] = Status(State.NOT_STARTED)
    return result


def next_hint(kata_id: str, hints: tuple[str, ...]) -> tuple[int, str] | None:
    """The next hint not yet shown in this attempt (1-based number and text), recorded as shown
    (and logged, for the attempt's rating); None when all were."""
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
            log_event(conn, kata_id, "hint", clock.now())
    return shown + 1, hints[shown]


def hints_seen(kata_id: str, hints: tuple[str, ...]) -> list[str]:
    """The hints shown so far in this attempt, in order (none are recorded as shown by reading them again)."""
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
