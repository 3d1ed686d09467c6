"""Helpers for the tests of katas on the schedule, the day's plan and the figures: a pinned clock in
UTC, commands run in-process, grades recorded without grading, FSRS without fuzz."""

from __future__ import annotations

import pytest

from dlprep import paths, store
from dlprep.cards.schedule import Scheduler
from dlprep.katas import memory, progress
from tests.clock import DAY, MINUTE, T0, at, run, utc  # noqa: F401 - fixtures for this folder, names for its tests


@pytest.fixture
def no_fuzz(monkeypatch):
    """Kata intervals exactly as FSRS gives them."""
    monkeypatch.setattr(memory, "SCHEDULER", Scheduler(fuzz=False, steps=False))


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
