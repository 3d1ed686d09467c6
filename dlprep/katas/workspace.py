"""The learner's copies of the stubs: created once, never overwritten, reset with a backup of any work."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from dlprep import clock, paths


class Started(Enum):
    CREATED = "created"
    EXISTED = "existed"
    RESET = "reset"


@dataclass(frozen=True)
class Copy:
    path: Path
    started: Started
    backup: Path | None = None


def start(kata_id: str, workspace: Path | None = None, *, reset: bool = False) -> Copy:
    target = paths.learner_copy(kata_id, workspace)
    stub = paths.stub(kata_id)
    if target.exists() and not reset:
        return Copy(target, Started.EXISTED)
    target.parent.mkdir(parents=True, exist_ok=True)
    existed, backup = target.exists(), None
    if existed and target.read_bytes() != stub.read_bytes():  # an untouched stub needs no backup
        backup = target.with_name(f"{target.stem}.{clock.now():%Y%m%d-%H%M%S-%f}.bak.py")
        shutil.copy2(target, backup)
    shutil.copyfile(stub, target)
    return Copy(target, Started.RESET if existed else Started.CREATED, backup)
