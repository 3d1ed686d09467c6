"""`dlprep watch`: a verdict a fraction of a second after each save."""

from __future__ import annotations

import contextlib
import os
import queue
import select
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from dlprep import paths, store
from dlprep.cli.app import console, fail
from dlprep.cli.katas import (DEVICES, WorkspaceOpt, _device, _ending_cleanly_on_signals, _isolation, _target,
                              show_next_hint, show_solution)
from dlprep.grading import DEFAULT_TIMEOUT_S
from dlprep.katas import progress
from dlprep.katas.catalog import load

KEYS = "h hint · r grade again · s solution · q quit"


def watch(
    kata_id: Annotated[Optional[str], typer.Argument(metavar="KATA", help="Kata id; default: the kata whose file you saved last.", show_default=False)] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Watch this file instead of your workspace copy.", show_default=False)] = None,
    device: Annotated[str, typer.Option(metavar="[auto|cpu|cuda|all]", callback=_device, help="As for grade.")] = "auto",
    timeout: Annotated[float, typer.Option(metavar="SECONDS", help="Seconds your code may run, per grade.", min=1)] = DEFAULT_TIMEOUT_S,
    isolation: Annotated[str, typer.Option(metavar="[strict|auto|off]", callback=_isolation, help="As for grade.")] = "auto",
    workspace_dir: WorkspaceOpt = None,
) -> None:
    """Grade your file now and again every time you save it; each result replaces the last.

    Keys, in a terminal: h the next hint, r grade again now, s the solution (asks first), q quit. Piped, one result is printed per save. Passing grades are recorded. Editors' atomic saves are followed; on a network drive or WSL, set WATCHFILES_FORCE_POLLING=1.

    Example: [cyan]dlprep watch attention[/cyan], then edit and save ~/dlprep/attention.py
    """
    from dlprep.grading.grader import Grader, NoCuda
    from dlprep.grading.isolation import IsolationError
    from dlprep.grading.watch import Watcher

    kata, target = _target(load(), kata_id, file, workspace_dir)
    store.check(write=True)
    interactive = console.is_terminal and sys.stdin.isatty()
    warm = "torch" if kata.framework == "torch" else "numpy"
    try:
        with _ending_cleanly_on_signals(), Grader(isolation_mode=isolation, timeout_s=timeout, warm=warm) as grading:
            watcher = Watcher(grading, kata, target, DEVICES[device])
            _show(watcher, interactive, workspace_dir)
            saves: queue.Queue[None] = queue.Queue()
            stop = threading.Event()
            threading.Thread(target=lambda: [saves.put(None) for _ in watcher.saves(stop)], daemon=True).start()
            try:
                with _keys() if interactive else contextlib.nullcontext() as keys:
                    _loop(watcher, saves, keys, interactive, workspace_dir)
            finally:
                stop.set()
    except IsolationError as exc:
        fail(str(exc))
    except NoCuda as exc:
        fail(f"--device {device} {exc}")
    except KeyboardInterrupt:
        pass
    console.print("Stopped watching.")


def _loop(watcher, saves: queue.Queue, keys, interactive: bool, workspace_dir: Path | None) -> None:
    while True:
        key = keys.read(0.05) if keys is not None else None
        if key in ("q", "\x04"):
            return
        saved = _drain(saves, wait=0.0 if interactive else 0.2)
        if saved or key == "r":
            _show(watcher, interactive, workspace_dir)
        elif key == "h":
            show_next_hint(watcher.kata)
        elif key == "s":
            _solution(watcher.kata, keys)


def _drain(saves: queue.Queue, wait: float) -> bool:
    try:
        saves.get(timeout=wait) if wait else saves.get_nowait()
    except queue.Empty:
        return False
    while not saves.empty():
        saves.get_nowait()
    return True


def _show(watcher, interactive: bool, workspace_dir: Path | None) -> None:
    from dlprep.cli import scheduling
    from dlprep.cli.render import render_report

    started = time.monotonic()
    report, changed = watcher.grade()
    recorded = record(report)
    if interactive:
        console.clear()
    else:
        console.rule(f"{watcher.kata.id} · {time.strftime('%H:%M:%S')}", style="dim")
    render_report(console, report, command=grade_command(watcher))
    for line in scheduling.lines(recorded):
        console.print(line, highlight=False)
    if changed:
        console.print(Text(f"Since the last grade: {changed}", style="cyan"))
    waited = time.monotonic() - started
    if interactive:
        console.print(Text(f"Watching {watcher.file} (graded in {waited:.2f} s) · {KEYS}", style="dim"))
    if report.passed:  # after the verdict is shown: it may finish the day's plan, as a grade does
        from dlprep import plan

        plan.mark_if_done(workspace_dir)


def grade_command(watcher) -> str:
    """The `dlprep grade` that grades the watched file, for what watch mode does not show."""
    if watcher.file.resolve() == paths.learner_copy(watcher.kata.id, None).resolve():
        return f"dlprep grade {watcher.kata.id}"
    return f"dlprep grade {watcher.kata.id} --file {watcher.file}"


def record(report) -> progress.Recorded:
    """A pass is recorded as a grade (and rates the kata when due); a failure only as part of the
    attempt, pulling its mistakes' cards forward."""
    mistakes = [d.mistake for d in report.diagnosis]
    if report.passed:
        return progress.record_grade(report.kata, True, report.devices, report.duration_s, report.file, None)
    return progress.record_watched_failure(report.kata, report.error.kind if report.error else None, mistakes)


def _solution(kata, keys) -> None:
    passed = progress.statuses([kata.id])[kata.id].state is progress.State.PASSED
    if not passed:
        console.print(f"You have not passed {kata.id} yet. Show the reference anyway? \\[y/N]")
        if keys.read(None) not in ("y", "Y"):
            return
    progress.solution_shown(kata.id)
    show_solution(kata)


class _keys:
    """Single key presses, without Enter and without echo; Ctrl-C stays a KeyboardInterrupt."""

    def __enter__(self):
        import termios
        import tty

        self._fd = sys.stdin.fileno()
        self._saved = termios.tcgetattr(self._fd)
        tty.setcbreak(self._fd)
        return self

    def __exit__(self, *exc_info) -> None:
        import termios

        termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)

    def read(self, timeout: float | None) -> str | None:
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return None
        chunk = os.read(self._fd, 64).decode(errors="replace")
        if not chunk:
            return "q"  # the terminal went away
        return None if chunk.startswith("\x1b") else chunk[0]  # arrow keys are no commands


def register(app: typer.Typer) -> None:
    app.command()(watch)
