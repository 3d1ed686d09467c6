"""Schedules left by Obsidian Spaced Repetition (`<!--SR:!2026-12-01,3,250-->`) turned into FSRS state.

The plugin keeps, per card, its next due date, its interval in days and its SM-2 ease
(×100). FSRS needs a stability and a difficulty. At the 0.9 retention FSRS aims for, its
next interval equals the stability, so the interval is the stability; the ease is the
factor SM-2 grows the interval by on a Good, which FSRS calls the stability increase

    SInc = 1 + e^w₈ · (11 − D) · S^(−w₉) · (e^((1 − R)·w₁₀) − 1),

solved for D at R = 0.9 (as Anki does when it turns SM-2 cards into FSRS ones). Each card
is imported once: a card dlprep already schedules keeps its own history.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone

from fsrs import Card as FsrsCard
from fsrs import State

from dlprep.cards import days, schedule
from dlprep.cards.model import Deck
from dlprep.cards.session import KIND

RETENTION = 0.9


class ScheduleError(ValueError):
    """An SR comment that does not read as date,interval,ease."""


def parse(text: str) -> tuple[date, int, int]:
    try:
        due, interval, ease = (part.strip() for part in text.split(","))
        return date.fromisoformat(due), int(interval), int(ease)
    except ValueError:
        raise ScheduleError(f"SR schedule {text!r} is not date,interval,ease (e.g. 2026-12-01,3,250)") from None


def state(text: str, item: str, day_starts_at: int) -> FsrsCard:
    due_day, interval, ease = parse(text)
    w = schedule.SCHEDULER.fsrs.parameters
    stability = max(float(interval), 0.001)
    increase = math.exp(w[8]) * stability ** (-w[9]) * math.expm1((1 - RETENTION) * w[10])
    difficulty = min(max(11 - (ease / 100 - 1) / increase, 1.0), 10.0)
    due = days.start_of(due_day, day_starts_at).astimezone(timezone.utc)
    return FsrsCard(
        card_id=schedule.fsrs_id(item),
        state=State.Review,
        stability=stability,
        difficulty=difficulty,
        due=due,
        last_review=due - timedelta(days=interval),
    )


@dataclass
class Imported:
    imported: int = 0
    kept: int = 0  # already scheduled by dlprep
    without: int = 0  # no SR schedule in the note
    problems: list[str] = field(default_factory=list)


def import_deck(conn: sqlite3.Connection, deck: Deck, day_starts_at: int) -> Imported:
    report = Imported()
    for card in deck.cards:
        if card.sr_schedule is None:
            report.without += 1
            continue
        try:
            new = state(card.sr_schedule, card.key, day_starts_at)
        except ScheduleError as exc:
            report.problems.append(f"{card.location}: {exc}")
            continue
        if schedule.adopt(conn, KIND, new, card.key):
            report.imported += 1
        else:
            report.kept += 1
    return report
