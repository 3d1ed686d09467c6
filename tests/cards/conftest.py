"""Helpers for the flashcard tests: run commands at a pinned time, in a pinned time zone, on small decks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from dlprep import store
from tests.clock import DAY, T0, at, run, set_time_zone, utc  # noqa: F401 - fixtures for this folder, names for its tests

REPO = Path(__file__).resolve().parents[2]
DLPREP = [sys.executable, "-m", "dlprep"]


@pytest.fixture
def db():
    """A connection to the test's progress database (migrated)."""
    with store.connect() as conn:
        yield conn


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
