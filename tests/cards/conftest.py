"""Helpers for the flashcard tests: run commands at a pinned time, in a pinned time zone, on small decks."""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlprep import store
from dlprep.cli import app

# A Monday, 09:00 UTC: the middle of a study day in the time zones the tests use.
T0 = datetime(2030, 1, 7, 9, 0, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parents[2]
DLPREP = [sys.executable, "-m", "dlprep"]
DAY = timedelta(days=1)


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
def run(monkeypatch):
    """`run(*args, input=..., at=datetime)` invokes dlprep in-process, the clock pinned at `at`."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, at: datetime = T0):
        monkeypatch.setenv("DLPREP_NOW", at.isoformat())
        return runner.invoke(app, list(args), input=input)

    return invoke


@pytest.fixture
def db():
    """A connection to the test's progress database (migrated)."""
    with store.connect() as conn:
        yield conn


@pytest.fixture
def at(monkeypatch):
    """`at(moment)` pins the clock, for library code that reads it."""

    def pin(moment: datetime) -> None:
        monkeypatch.setenv("DLPREP_NOW", moment.isoformat())

    pin(T0)
    return pin


def subprocess_env() -> dict[str, str]:
    """The environment for running dlprep as a separate process, the clock pinned at T0."""
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100", "DLPREP_NOW": T0.isoformat(), "TZ": "UTC"}


def write(folder: Path, files: dict[str, str]) -> Path:
    """Write `{relative path: text}` under `folder`; returns the folder."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
