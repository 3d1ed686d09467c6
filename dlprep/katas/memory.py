"""Katas on the spaced-repetition schedule: each rated pass is a review, rated from how it happened.

A kata is an item of kind "kata" in the schedule and review log that flashcards use, scheduled by
the same FSRS, without learning steps. Its first pass rates it; from then on it falls due for a
re-implementation from a blank stub (`begin` writes one and keeps the previous attempt), and the
pass of that attempt rates it again. The rating comes from what the attempt involved (`rate`):

- the solution viewed before passing: Again;
- failing grades before the pass: Hard (an unfinished file, `not-implemented`, is no failure);
- a hint used: Hard;
- otherwise Good, or Easy when the pass came within EASY_MINUTES_PER_STAR minutes per star of
  the kata's difficulty after its stub was written.

A pass of a kata that is not due, or that is due but has no fresh stub yet (the previous
attempt's file passes, of course), changes no schedule. Katas passed before katas were
scheduled have their first pass rated as it would have been, at the time it happened
(`adopt_earlier_passes`), so an upgraded database brings them back when they are due.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from fsrs import Card as FsrsCard
from fsrs import Rating

from dlprep.cards import days, schedule
from dlprep.katas import progress, workspace
from dlprep.katas.catalog import load

KIND = "kata"
SCHEDULER = schedule.Scheduler(steps=False)  # read at each call: tests turn its fuzz off
EASY_MINUTES_PER_STAR = 10
UNFINISHED = "not-implemented"


@dataclass(frozen=True)
class Attempt:
    """What one attempt at a kata involved, up to its pass."""

    began: datetime | None  # when its stub was written; None when that was never recorded
    failed: int
    hints: int
    solution: bool


@dataclass(frozen=True)
class Outcome:
    """What a pass did to the kata's schedule."""

    kata: str
    rating: Rating | None  # None: the schedule was left as it was
    reason: str  # why this rating, or why none
    due: datetime | None  # when the kata comes back


@dataclass(frozen=True)
class Begun:
    """A kata's stub, as `begin` left it in the workspace."""

    copy: workspace.Copy

    @property
    def again(self) -> bool:
        """A re-implementation: a fresh stub, the previous attempt kept beside it."""
        return self.copy.started is workspace.Started.AGAIN


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def rate(attempt: Attempt, passed_at: datetime, difficulty: int) -> tuple[Rating, str]:
    """The rating of a pass, and why, in words."""
    if attempt.solution:
        return Rating.Again, "the solution was viewed before passing"
    if attempt.failed:
        return Rating.Hard, f"passed after {_plural(attempt.failed, 'failing grade')}"
    if attempt.hints:
        return Rating.Hard, f"passed with {_plural(attempt.hints, 'hint')}"
    quick = timedelta(minutes=EASY_MINUTES_PER_STAR * difficulty)
    if attempt.began is not None and passed_at - attempt.began < quick:
        minutes = max(1, round((passed_at - attempt.began) / timedelta(minutes=1)))
        return Rating.Easy, f"first grade passed, {minutes} min after the stub, no hint"
    return Rating.Good, "first grade passed, no hint"


def _events(conn: sqlite3.Connection, kata: str, event: str) -> list[datetime | None]:
    rows = conn.execute("SELECT at FROM kata_events WHERE kata = ? AND event = ? ORDER BY id", (kata, event))
    return [None if row["at"] is None else datetime.fromisoformat(row["at"]) for row in rows]


def attempt(conn: sqlite3.Connection, kata: str, since: datetime | None, until: datetime) -> Attempt:
    """The attempt from `since` (its fresh stub) to `until`; `since` None: the first attempt, all of it.

    Hints shown before they were timed (None) belong to the first attempt only.
    """

    def within(moment: datetime | None) -> bool:
        if moment is None:
            return since is None
        return (since is None or moment >= since) and moment <= until

    grades = conn.execute("SELECT graded_at, error_kind FROM grades WHERE kata = ? AND passed = 0", (kata,))
    failed = sum(within(datetime.fromisoformat(row["graded_at"])) for row in grades if row["error_kind"] != UNFINISHED)
    failed += sum(map(within, _events(conn, kata, "failed")))
    started = [moment for moment in _events(conn, kata, "started") if moment is not None and within(moment)]
    return Attempt(
        began=min(started, default=None) if since is None else since,
        failed=failed,
        hints=sum(map(within, _events(conn, kata, "hint"))),
        solution=any(map(within, _events(conn, kata, "solution"))),
    )


def _first_rating(conn: sqlite3.Connection, kata: str, passed_at: datetime) -> tuple[Rating, str]:
    return rate(attempt(conn, kata, None, passed_at), passed_at, load().get(kata).difficulty)


def _unscheduled_passes(conn: sqlite3.Connection) -> dict[str, datetime]:
    """Katas passed but not scheduled (passed before katas were): their first pass, by kata."""
    rows = conn.execute(
        "SELECT kata, MIN(graded_at) AS first FROM grades WHERE passed = 1 "
        "AND kata NOT IN (SELECT item FROM schedule WHERE kind = ?) GROUP BY kata",
        (KIND,),
    )
    known = set(load().ids())
    return {row["kata"]: datetime.fromisoformat(row["first"]) for row in rows if row["kata"] in known}


def states(conn: sqlite3.Connection) -> dict[str, FsrsCard]:
    """Every scheduled kata's FSRS state, those passed before katas were scheduled included."""
    found = schedule.load_states(conn, KIND)
    for kata, passed_at in _unscheduled_passes(conn).items():
        found[kata] = SCHEDULER.next(kata, None, _first_rating(conn, kata, passed_at)[0], passed_at)
    return found


def adopt_earlier_passes(conn: sqlite3.Connection) -> None:
    """Schedule, in the caller's transaction, the katas passed before katas were scheduled, as `states` does."""
    for kata, passed_at in _unscheduled_passes(conn).items():
        schedule.review_within(conn, KIND, kata, _first_rating(conn, kata, passed_at)[0], passed_at, scheduler=SCHEDULER)


def fresh_stub(conn: sqlite3.Connection, kata: str, last_review: datetime) -> datetime | None:
    """When the stub of the attempt after `last_review` was written; None when none was yet."""
    after = [moment for moment in _events(conn, kata, "started") if moment is not None and moment > last_review]
    return min(after, default=None)


def record_pass(conn: sqlite3.Connection, kata: str, now: datetime, day_end: datetime) -> Outcome:
    """Rate a pass graded at `now`, in the caller's transaction (which has recorded its grade)."""
    state = schedule.state_of(conn, KIND, kata)
    if state is None:
        rating, reason = _first_rating(conn, kata, now)
        after = schedule.review_within(conn, KIND, kata, rating, now, scheduler=SCHEDULER)
        return Outcome(kata, rating, reason, after.due)
    if state.due >= day_end:
        return Outcome(kata, None, "not due yet", state.due)
    began = fresh_stub(conn, kata, state.last_review)
    if began is None:
        return Outcome(kata, None, "due, with no fresh stub yet", state.due)
    rating, reason = rate(attempt(conn, kata, began, now), now, load().get(kata).difficulty)
    after = schedule.review_within(conn, KIND, kata, rating, now, scheduler=SCHEDULER)
    return Outcome(kata, rating, reason, after.due)


def is_due(state: FsrsCard | None, day_end: datetime) -> bool:
    return state is not None and state.due < day_end


def begin(
    conn: sqlite3.Connection,
    kata: str,
    workspace_dir: Path | None,
    now: datetime,
    day_starts_at: int,
    *,
    reset: bool = False,
) -> Begun:
    """Put the kata's stub in the workspace, and log when an attempt's stub was written.

    A due kata whose re-implementation has not begun gets a fresh stub; the previous attempt is
    kept beside it, named by the day it was passed (`attention.2030-01-07.py`), and its hints
    start again from the first. Files are written before the log, so that an interruption
    between the two leaves at worst a stub that the next call takes as it is.
    """
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        adopt_earlier_passes(conn)
    state = schedule.load_states(conn, KIND).get(kata)
    _, day_end = days.bounds(now, day_starts_at)
    again = is_due(state, day_end) and fresh_stub(conn, kata, state.last_review) is None
    if again:
        copy = workspace.start_again(kata, workspace_dir, days.study_date(state.last_review, day_starts_at))
    else:
        copy = workspace.start(kata, workspace_dir, reset=reset)
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        if again:
            conn.execute("UPDATE hints_shown SET count = 0 WHERE kata = ?", (kata,))
        if again or copy.started is not workspace.Started.EXISTED:
            progress.log_event(conn, kata, "started", now)
    return Begun(copy)
