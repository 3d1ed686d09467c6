"""Helpers for the flashcard tests: run commands at a pinned time, write small decks."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlprep import store
from dlprep.cli import app

T0 = datetime(2030, 1, 7, 9, 0, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parents[2]


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


def subprocess_env() -> dict[str, str]:
    """The environment for running dlprep as a separate process, the clock pinned at T0."""
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100", "DLPREP_NOW": T0.isoformat()}


DLPREP = [sys.executable, "-m", "dlprep"]
DAY = timedelta(days=1)
