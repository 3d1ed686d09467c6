"""Where dlprep keeps things: the learner's data, their workspace, and the shipped katas."""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "DLPREP_HOME"
WORKSPACE_ENV = "DLPREP_WORKSPACE"
PACKAGE_DIR = Path(__file__).resolve().parent


def home() -> Path:
    """The data directory (progress database); `DLPREP_HOME` moves it."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("dlprep", appauthor=False))


def database() -> Path:
    return home() / "dlprep.db"


def workspace(override: Path | None = None) -> Path:
    """Where learners' copies of the stubs live: ~/dlprep unless `DLPREP_WORKSPACE` or an option says otherwise."""
    if override is not None:
        return override.expanduser()
    env = os.environ.get(WORKSPACE_ENV)
    return Path(env).expanduser() if env else Path.home() / "dlprep"


def _package_of(name: str) -> Path:
    # Editable installs map these packages onto the repository's top-level folders,
    # regular installs onto folders inside dlprep/: the import system knows which.
    import importlib.util

    spec = importlib.util.find_spec(f"dlprep.{name}")
    assert spec is not None and spec.submodule_search_locations, name
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def exercises_dir() -> Path:
    return _package_of("exercises")


def solutions_dir() -> Path:
    return _package_of("solutions")


def stub(kata_id: str) -> Path:
    return exercises_dir() / f"{kata_id}.py"


def reference(kata_id: str) -> Path:
    return solutions_dir() / f"{kata_id}.py"


def mistakes(kata_id: str) -> Path:
    return solutions_dir() / "mistakes" / f"{kata_id}.py"


def readings(kata_id: str) -> Path:
    return solutions_dir() / "readings" / f"{kata_id}.py"


def statement(kata_id: str) -> Path:
    return PACKAGE_DIR / "katas" / "statements" / f"{kata_id}.md"


def learner_copy(kata_id: str, workspace_dir: Path | None = None) -> Path:
    return workspace(workspace_dir) / f"{kata_id}.py"
