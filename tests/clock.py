"""A pinned clock for the tests that live by the day (cards, katas on the schedule): a Monday
09:00 UTC, local days in UTC unless a test picks a zone, dlprep run in-process at a given moment.
The conftests that need them import the fixtures, which then hold for their folder."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

# A Monday, 09:00 UTC: the middle of a study day in the time zones the tests use.
T0 = datetime(2030, 1, 7, 9, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)


def set_time_zone(monkeypatch, zone: str) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Local days are UTC days unless a test picks another zone (`set_time_zone`)."""
    set_time_zone(monkeypatch, "UTC")
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def at(monkeypatch):
    """`at(moment)` pins the clock, for library code that reads it."""

    def pin(moment: datetime) -> None:
        monkeypatch.setenv("DLPREP_NOW", moment.isoformat())

    pin(T0)
    return pin


@pytest.fixture
def run(monkeypatch):
    """`run(*args, input=..., at=datetime)`: dlprep in-process, the clock pinned at `at`."""
    from dlprep.cli import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, at: datetime = T0):
        monkeypatch.setenv("DLPREP_NOW", at.isoformat())
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke
