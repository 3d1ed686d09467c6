"""Kata commands: list, exercise, grade, hint, solution."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from dlprep import paths
from dlprep.cli.app import console, err_console, fail
from dlprep.katas import progress, workspace
from dlprep.katas.catalog import Kata, UnknownKata, load


class DeviceChoice(str, Enum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"
    all = "all"


KataArg = Annotated[str, typer.Argument(metavar="KATA", help="Kata id, as `dlprep list` shows it (e.g. attention).", show_default=False)]
WorkspaceOpt = Annotated[
    Optional[Path],
    typer.Option("--workspace", "-w", help=f"Folder of your kata files [default: ~/dlprep, or ${paths.WORKSPACE_ENV}].", show_default=False),
]


def _kata(kata_id: str) -> Kata:
    try:
        return load().get(kata_id)
    except UnknownKata as exc:
        fail(str(exc))


def list_katas(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list instead of a table.")] = False,
    workspace_dir: WorkspaceOpt = None,
) -> None:
    """Every kata, by guide section, with your progress.

    Example: [cyan]dlprep list --json | jq '.[] | select(.status == "passed")'[/cyan]
    """
    catalog = load()
    status = progress.statuses(catalog.ids(), workspace_dir)
    if as_json:
        rows = [
            {
                "id": k.id, "title": k.title, "section": k.section, "section_title": catalog.sections[k.section],
                "framework": k.framework, "difficulty": k.difficulty, "status": status[k.id].state.value,
                "passed_at": status[k.id].passed_at.isoformat() if status[k.id].passed_at else None,
            }
            for k in catalog.katas
        ]
        print(json.dumps(rows, indent=2))
        return
    table = Table(title="dlprep katas", title_justify="left")
    table.add_column("id", no_wrap=True)  # the word to type: never cut
    table.add_column("kata", overflow="fold", ratio=1)
    table.add_column("uses", no_wrap=True)
    table.add_column("level", no_wrap=True)
    table.add_column("status", no_wrap=True)
    styles = {progress.State.PASSED: "green", progress.State.IN_PROGRESS: "yellow", progress.State.NOT_STARTED: "dim"}
    for section, section_title in catalog.sections.items():
        katas = [k for k in catalog.katas if k.section == section]
        if not katas:
            continue
        done = sum(status[k.id].state is progress.State.PASSED for k in katas)
        table.add_section()
        table.add_row(f"[bold]{section}[/bold]", f"[bold]{section_title}[/bold]", "", "", f"[bold]{done}/{len(katas)} passed[/bold]")
        for k in katas:
            s = status[k.id]
            table.add_row(k.id, k.title, k.framework, "★" * k.difficulty, f"[{styles[s.state]}]{s.label()}[/]")
    console.print(table)
    console.print("Start one with [cyan]dlprep exercise ID[/cyan].")


def exercise(
    kata_id: KataArg,
    workspace_dir: WorkspaceOpt = None,
    reset: Annotated[bool, typer.Option("--reset", help="Restore the stub; your current file is backed up first.")] = False,
) -> None:
    """Show a kata's statement and put its stub in your workspace (never overwriting your work).

    Example: [cyan]dlprep exercise attention[/cyan], edit the file it names, then [cyan]dlprep grade[/cyan].
    """
    from rich.markdown import Markdown

    kata = _kata(kata_id)
    console.print(Markdown(paths.statement(kata.id).read_text(encoding="utf-8")))
    try:
        copy = workspace.start(kata.id, workspace_dir, reset=reset)
    except OSError as exc:
        fail(f"could not write your copy of the stub: {exc}")
    console.print()
    if copy.started is workspace.Started.EXISTED:
        console.print(f"Your file already exists (left as it is): [bold]{copy.path}[/bold]")
        console.print(f"Start again from the stub with [cyan]dlprep exercise {kata.id} --reset[/cyan].")
    else:
        console.print(f"Your file: [bold]{copy.path}[/bold]")
        if copy.backup is not None:
            console.print(f"Your previous version was saved as {copy.backup}")
    console.print(f"Next: implement it, then run [cyan]dlprep grade {kata.id}[/cyan]  (stuck? [cyan]dlprep hint {kata.id}[/cyan])")


def grade(
    kata_id: Annotated[Optional[str], typer.Argument(metavar="KATA", help="Kata id; default: the kata whose file you saved last.", show_default=False)] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Grade this file instead of your workspace copy.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Grade every kata you have started, then summarise.")] = False,
    device: Annotated[DeviceChoice, typer.Option(help="auto: the CPU, plus CUDA when available; all: both, CUDA required.")] = DeviceChoice.auto,
    as_json: Annotated[bool, typer.Option("--json", help="Print only the grade as one JSON object (a list with --all).")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds your code may run, per kata.", min=1)] = 60.0,
    workspace_dir: WorkspaceOpt = None,
) -> None:
    """Run the kata's checks on your implementation and say exactly what is wrong.

    Your code runs in its own process with a time and memory limit; it is compared with a hidden reference outside that process. Exit status: 0 passed, 1 failed, 2 usage error.

    Examples: [cyan]dlprep grade[/cyan], [cyan]dlprep grade lstm --device cuda[/cyan], [cyan]dlprep grade adam --file my_adam.py --json[/cyan], [cyan]dlprep grade --all[/cyan]
    """
    catalog = load()
    if every and (kata_id or file):
        fail("--all grades your workspace: give no KATA and no --file with it.")
    if every:
        copies = [(k, paths.learner_copy(k.id, workspace_dir)) for k in catalog.katas]
        targets = [(k, copy) for k, copy in copies if copy.is_file()]
        if not targets:
            fail("nothing to grade yet: start a kata with `dlprep exercise ID` (see `dlprep list`).")
    else:
        if kata_id is None:
            kata_id = progress.last_worked_on(catalog.ids(), workspace_dir)
            if kata_id is None:
                fail("nothing to grade yet: start a kata with `dlprep exercise ID` (see `dlprep list`).")
        kata = _kata(kata_id)
        target = file or paths.learner_copy(kata.id, workspace_dir)
        if not target.is_file():
            hint = "" if file else f" Run `dlprep exercise {kata.id}` to create it."
            fail(f"no file to grade at {target}.{hint}")
        targets = [(kata, target)]
    from dlprep.grading import grader

    devices = {DeviceChoice.auto: None, DeviceChoice.cpu: ["cpu"], DeviceChoice.cuda: ["cuda"], DeviceChoice.all: ["cpu", "cuda"]}[device]
    if devices is not None and "cuda" in devices and not grader.cuda_available():
        fail(f"--device {device.value} needs CUDA, and PyTorch sees no CUDA device here")
    from dlprep.cli.render import grading_progress, render_report, render_summary

    reports = []
    try:
        with grading_progress(console, len(targets), visible=not as_json and console.is_terminal) as advance:
            for kata, target in targets:
                advance(f"Grading {kata.id}…")
                try:
                    report = grader.grade(kata, target, devices, timeout_s=timeout)
                except (OSError, UnicodeDecodeError) as exc:
                    fail(f"could not read {target}: {exc}")
                progress.record_grade(kata.id, report.passed, report.devices, report.duration_s, report.file, report.error.kind if report.error else None)
                reports.append(report)
    except KeyboardInterrupt:
        err_console.print(f"Interrupted: the kata being graded was stopped; {len(reports)} grade(s) finished before were recorded.")
        raise typer.Exit(130)
    if as_json:
        documents = [report.to_dict() for report in reports]
        print(json.dumps(documents if every else documents[0], indent=2))
    elif every:
        render_summary(console, reports)
    else:
        render_report(console, reports[0])
    raise typer.Exit(0 if all(report.passed for report in reports) else 1)


def hint(kata_id: KataArg) -> None:
    """Show the next hint for a kata; each call reveals one more."""
    from rich.markdown import Markdown
    from rich.panel import Panel

    kata = _kata(kata_id)
    shown = progress.next_hint(kata.id, kata.hints)
    if shown is None:
        console.print(f"That was every hint for {kata.id}. Still stuck? [cyan]dlprep solution {kata.id}[/cyan]")
        return
    number, text = shown
    console.print(Panel(Markdown(text), title=f"{kata.id}: hint {number} of {len(kata.hints)}", title_align="left"))


def solution(
    kata_id: KataArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Show it without asking, even before you pass.")] = False,
) -> None:
    """Show the reference implementation (asks first if you have not passed the kata)."""
    from rich.syntax import Syntax

    kata = _kata(kata_id)
    passed = progress.statuses([kata.id])[kata.id].state is progress.State.PASSED
    if not (passed or yes):
        if not typer.confirm(f"You have not passed {kata.id} yet. Show the reference anyway?", default=False):
            raise typer.Exit(1)
    source = paths.reference(kata.id).read_text(encoding="utf-8")
    console.print(Syntax(source, "python", line_numbers=True, theme="ansi_dark"))


def register(app: typer.Typer) -> None:
    """Add the kata commands to the root application."""
    app.command("list")(list_katas)
    app.command()(exercise)
    app.command()(grade)
    app.command()(hint)
    app.command()(solution)
