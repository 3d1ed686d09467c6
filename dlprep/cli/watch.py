"""`dlprep watch`: a verdict a fraction of a second after each save."""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from dlprep import paths, store
from dlprep.cli import keys
from dlprep.cli.app import console, fail
from dlprep.cli.katas import (DEVICES, WorkspaceOpt, _device, _ending_cleanly_on_signals, _isolation, _target,
                              reveal_solution, show_next_hint)
from dlprep.grading import DEFAULT_TIMEOUT_S
from dlprep.katas import progress
from dlprep.katas.catalog import Kata, load

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
    from dlprep.grading.grader import NoCuda

    kata, target = _target(load(), kata_id, file, workspace_dir)
    store.check(write=True)
    try:
        with _ending_cleanly_on_signals():
            session(kata, target, devices=DEVICES[device], isolation=isolation, timeout=timeout, workspace_dir=workspace_dir)
    except NoCuda as exc:
        fail(f"--device {device} {exc}")
    except KeyboardInterrupt:
        pass
    console.print("Stopped watching.")


def interactive() -> bool:
    """Whether a watch reads keys and redraws the screen; else (piped) it prints one result per save."""
    return console.is_terminal and keys.available()


def session(
    kata: Kata,
    file: Path,
    *,
    devices: list[str] | None = None,
    isolation: str = "auto",
    timeout: float = DEFAULT_TIMEOUT_S,
    workspace_dir: Path | None = None,
    step: bool = False,
    ready: str = "",
) -> str:
    """Grade `file` now, then on each save and on r; h, s and q as `dlprep watch` says. How it
    ended: "quit", or, for a `step` of `dlprep today`, "next" (the n key) or "passed" (a passing
    grade). A step's grades follow one another under a rule, and its day is recorded by the plan's run.
    `ready` is printed once the grader is up: what the learner may do from then on.
    """
    from dlprep.grading.grader import Grader, host_for
    from dlprep.grading.isolation import IsolationError
    from dlprep.grading.watch import Watcher

    on_screen = interactive()
    try:
        with Grader(isolation_mode=isolation, timeout_s=timeout, warm=host_for(kata)) as grading:
            watcher = Watcher(grading, kata, file, devices)
            if ready:
                console.print(ready, highlight=False)
            with keys.Keys() if on_screen else contextlib.nullcontext() as reader:
                if _show(watcher, on_screen, workspace_dir, step) and step:
                    return "passed"
                return _loop(watcher, reader, workspace_dir, step)
    except IsolationError as exc:
        fail(str(exc))


def _loop(watcher, reader: keys.Keys | None, workspace_dir: Path | None, step: bool) -> str:
    saves: queue.Queue[None] = queue.Queue()
    stop = threading.Event()
    threading.Thread(target=lambda: [saves.put(None) for _ in watcher.saves(stop)], daemon=True).start()
    try:
        while True:
            key = reader.read(0.05) if reader is not None else None
            if key in ("q", "\x04"):
                return "quit"
            if step and key == "n":
                return "next"
            if _drain(saves, wait=0.0 if reader is not None else 0.2) or key == "r":
                if _show(watcher, reader is not None, workspace_dir, step) and step:
                    return "passed"
            elif key == "h":
                show_next_hint(watcher.kata)
            elif key == "s":
                _solution(watcher.kata, reader)
    finally:
        stop.set()


def _drain(saves: queue.Queue, wait: float) -> bool:
    try:
        saves.get(timeout=wait) if wait else saves.get_nowait()
    except queue.Empty:
        return False
    while not saves.empty():
        saves.get_nowait()
    return True


def _show(watcher, on_screen: bool, workspace_dir: Path | None, step: bool) -> bool:
    """Grade the file now, record it as watch mode does, show the result; whether it passed."""
    from dlprep.cli import scheduling
    from dlprep.cli.render import render_report

    started = time.monotonic()
    report, changed = watcher.grade()
    recorded = progress.record_report(report, watched=True)
    if step:  # the plan's earlier steps stay on screen above
        console.rule(style="dim")
    elif on_screen:
        console.clear()
    else:
        console.rule(f"{watcher.kata.id} · {time.strftime('%H:%M:%S')}", style="dim")
    render_report(console, report, command=grade_command(watcher))
    for line in scheduling.lines(recorded):
        console.print(line, highlight=False)
    if changed:
        console.print(Text(f"Since the last grade: {changed}", style="cyan"))
    if on_screen and not step:
        waited = time.monotonic() - started
        console.print(Text(f"Watching {watcher.file} (graded in {waited:.2f} s) · {KEYS}", style="dim"))
    if report.passed and not step:  # after the verdict is shown: it may finish the day's plan, as a grade does
        from dlprep import plan

        plan.mark_if_done(workspace_dir)
    return report.passed


def grade_command(watcher) -> str:
    """The `dlprep grade` that grades the watched file, for what watch mode does not show."""
    if watcher.file.resolve() == paths.learner_copy(watcher.kata.id, None).resolve():
        return f"dlprep grade {watcher.kata.id}"
    return f"dlprep grade {watcher.kata.id} --file {watcher.file}"


def _solution(kata, reader) -> None:
    def confirm(question: str) -> bool:
        console.print(f"{question} \\[y/N]")
        return reader.read(None) in ("y", "Y")

    reveal_solution(kata, confirm)


def register(app: typer.Typer) -> None:
    app.command()(watch)
