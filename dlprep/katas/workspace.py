"""The learner's copies of the stubs: created once, never overwritten, reset with a backup of any work.

A re-implementation (`start_again`) keeps the previous attempt beside the fresh stub, named by
the day that attempt was passed: `attention.py` becomes `attention.2030-01-07.py`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path

from dlprep import clock, paths


class Started(Enum):
    CREATED = "created"
    EXISTED = "existed"
    RESET = "reset"
    AGAIN = "again"


@dataclass(frozen=True)
class Copy:
    path: Path
    started: Started
    backup: Path | None = None
    """Where the previous file went: a reset's backup, or the attempt a re-implementation keeps."""


def _is_untouched(target: Path, stub: Path) -> bool:
    return target.read_bytes() == stub.read_bytes()


def start(kata_id: str, workspace: Path | None = None, *, reset: bool = False) -> Copy:
    target = paths.learner_copy(kata_id, workspace)
    stub = paths.stub(kata_id)
    if target.exists() and not reset:
        return Copy(target, Started.EXISTED)
    target.parent.mkdir(parents=True, exist_ok=True)
    existed, backup = target.exists(), None
    if existed and not _is_untouched(target, stub):  # an untouched stub needs no backup
        backup = target.with_name(f"{target.stem}.{clock.now():%Y%m%d-%H%M%S-%f}.bak.py")
        shutil.copy2(target, backup)
    shutil.copyfile(stub, target)
    return Copy(target, Started.RESET if existed else Started.CREATED, backup)


def _kept_name(target: Path, passed_on: date) -> Path:
    kept = target.with_name(f"{target.stem}.{passed_on.isoformat()}.py")
    number = 2
    while kept.exists():  # two attempts passed the same day: neither is overwritten
        kept = target.with_name(f"{target.stem}.{passed_on.isoformat()}-{number}.py")
        number += 1
    return kept


def start_again(kata_id: str, workspace: Path | None, passed_on: date) -> Copy:
    """A fresh stub for a re-implementation; the previous attempt, passed on `passed_on`, is kept
    beside it (renamed, so never half-copied); an untouched stub or a missing file needs no keeping."""
    target = paths.learner_copy(kata_id, workspace)
    stub = paths.stub(kata_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    kept = None
    if target.exists() and not _is_untouched(target, stub):
        kept = _kept_name(target, passed_on)
        target.rename(kept)
    shutil.copyfile(stub, target)
    return Copy(target, Started.AGAIN, kept)
