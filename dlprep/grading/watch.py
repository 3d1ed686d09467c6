"""Watch mode: grade a file again on every save, against a warm grader.

The grader keeps its learner host (Python, NumPy and torch already imported) and the kata's
reference and mistake outputs between grades, so a re-grade costs a fork and the submission's
own work; every save still runs in a fresh, isolated process. Saves are seen with `watchfiles`,
which follows editors' atomic saves (write a temporary file, rename it over), groups the events
of one save, and polls where the file system sends no events (network drives, WSL):
`WATCHFILES_FORCE_POLLING=1` forces that.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

from dlprep.grading.grader import Grader
from dlprep.grading.report import GradeReport, changes
from dlprep.katas.catalog import Kata

DEBOUNCE_MS = 60
"""How long the events of one save are gathered: editors write, rename and touch within a few ms."""


class Watcher:
    def __init__(self, grader: Grader, kata: Kata, file: Path, devices: list[str] | None = None):
        self.grader, self.kata, self.file, self.devices = grader, kata, file, devices
        self.previous: GradeReport | None = None
        self._graded: tuple[int, int, int] | None = None  # the version of the file the last grade read

    def grade(self) -> tuple[GradeReport, str]:
        """The file graded now, and a line of what changed since the previous grade."""
        self._graded = _version(self.file)
        report = self.grader.grade(self.kata, self.file, self.devices)
        changed = changes(self.previous, report)
        self.previous = report
        return report, changed

    def saves(self, stop: threading.Event) -> Iterator[None]:
        """Once per save of the file, until `stop` is set (checked at least every tenth of a second)."""
        import watchfiles

        target = self.file.resolve()

        def is_the_file(change, path: str) -> bool:
            return Path(path).resolve() == target and change != watchfiles.Change.deleted

        # The first timeout comes once the watch is set up: a save made before then (while the first
        # grade ran or was shown) sent no event, so the file itself says whether one happened.
        first = True
        for saved in watchfiles.watch(target.parent, watch_filter=is_the_file, debounce=DEBOUNCE_MS, step=10,
                                      stop_event=stop, rust_timeout=100, yield_on_timeout=True, recursive=False,
                                      raise_interrupt=False):
            if saved or (first and _version(self.file) != self._graded):
                yield
            first = False


def _version(file: Path) -> tuple[int, int, int] | None:
    try:
        status = file.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino
