"""Helpers for the tests of katas on the schedule, the day's plan and the figures: a pinned clock in
UTC, commands run in-process, grades recorded without grading, FSRS without fuzz."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from dlprep import paths, store
from dlprep.cards.schedule import Scheduler
from dlprep.cli import app
from dlprep.katas import memory, progress

# A Monday, 09:00 UTC: the middle of a study day.
T0 = datetime(2030, 1, 7, 9, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def no_fuzz(monkeypatch):
    """Kata intervals exactly as FSRS gives them."""
    monkeypatch.setattr(memory, "SCHEDULER", Scheduler(fuzz=False, steps=False))


@pytest.fixture
def at(monkeypatch):
    """`at(moment)` pins the clock."""

    def pin(moment: datetime) -> None:
        monkeypatch.setenv("DLPREP_NOW", moment.isoformat())

    pin(T0)
    return pin


@pytest.fixture
def run(monkeypatch):
    """`run(*args, input=..., at=datetime)`: dlprep in-process, the clock pinned at `at`."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, at: datetime = T0):
        monkeypatch.setenv("DLPREP_NOW", at.isoformat())
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


def begin(kata: str):
    from dlprep import clock

    with store.connect() as conn:
        return memory.begin(conn, kata, None, clock.now(), 4)


def grade(kata: str, passed: bool, error_kind: str | None = None, mistakes=()) -> progress.Recorded:
    """A grade recorded as `dlprep grade` records it, without running the grader."""
    return progress.record_grade(kata, passed, ["cpu"], 0.5, str(paths.learner_copy(kata)), error_kind, mistakes)


def kata_state(kata: str):
    with store.connect(write=False) as conn:
        return memory.states(conn).get(kata)
