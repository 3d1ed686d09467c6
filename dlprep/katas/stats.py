"""Progress figures on katas for `dlprep stats`: passes, re-implementations, their retention, what is due."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Rating, State

from dlprep.cards import days, schedule
from dlprep.katas import memory
from dlprep.katas.catalog import load


@dataclass(frozen=True)
class KataStats:
    katas: int
    passed: int  # katas passed at least once
    reimplementations: int  # rated passes after the first: a kata written again from a blank stub
    retention: float | None  # share of re-implementations not rated Again (passed without the solution)
    due_today: int  # due before the end of the study day, to write again
    due_week: int  # due within the next seven study days, today included


def compute(conn: sqlite3.Connection, now: datetime, day_starts_at: int) -> KataStats:
    ids = set(load().ids())
    states = {kata: state for kata, state in memory.states(conn).items() if kata in ids}
    _, end = days.bounds(now, day_starts_at)
    again = [r for r in schedule.reviews(conn, memory.KIND) if r.item in ids and r.state_before == State.Review]
    passed = conn.execute("SELECT DISTINCT kata FROM grades WHERE passed = 1").fetchall()
    return KataStats(
        katas=len(ids),
        passed=sum(row["kata"] in ids for row in passed),
        reimplementations=len(again),
        retention=sum(r.rating != Rating.Again for r in again) / len(again) if again else None,
        due_today=sum(state.due < end for state in states.values()),
        due_week=sum(state.due < end + timedelta(days=6) for state in states.values()),
    )
