"""Kata commands: list, exercise, grade, hint, solution."""

from __future__ import annotations

import difflib
import json
import signal
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Callable, Iterator, Optional

import typer
from rich.console import Group
from rich.markup import escape
from rich.text import Text

from dlprep import clock, paths, store
from dlprep.cli.app import console, err_console, fail
from dlprep.grading import DEFAULT_TIMEOUT_S
from dlprep.katas import progress, workspace
from dlprep.katas.catalog import Catalog, Kata, UnknownKata, load

ISOLATION = ("strict", "auto", "off")
DEVICES = {"auto": None, "cpu": ["cpu"], "cuda": ["cuda"], "all": ["cpu", "cuda"]}
"""`--device` choices and the devices each grades on (None: the CPU, plus CUDA when PyTorch sees it)."""
NEAR_MISSES = {"gpu": "cuda", "gpus": "cuda", "nvidia": "cuda", "both": "all", "cpu+cuda": "all", "cuda+cpu": "all", "any": "auto"}
SYMBOLS = {progress.State.PASSED: ("✓", "green"), progress.State.IN_PROGRESS: ("◐", "yellow"), progress.State.NOT_STARTED: ("·", "dim")}

KataArg = Annotated[str, typer.Argument(metavar="KATA", help="Kata id, as `dlprep list` shows it (e.g. attention).", show_default=False)]
WorkspaceOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--workspace", "-w", show_default=False,
        help=f"Folder of your kata files; default: ${paths.WORKSPACE_ENV} when set, else ~/dlprep.",
    ),
]


def _kata(kata_id: str) -> Kata:
    try:
        return load().get(kata_id)
    except UnknownKata as exc:
        fail(str(exc))


def _device(value: str) -> str:
    choice = value.strip().lower()
    if choice in DEVICES:
        return choice
    close = difflib.get_close_matches(choice, DEVICES, n=1, cutoff=0.5)
    suggestion = NEAR_MISSES.get(choice) or ("cuda" if choice.startswith("cuda") else close[0] if close else None)
    raise typer.BadParameter(f"{value!r} is not a device (auto, cpu, cuda or all)" + (f": use {suggestion}" if suggestion else ""))


def _status_cell(status: progress.Status) -> Text:
    symbol, style = SYMBOLS[status.state]
    when = status.passed_at or status.worked_at
    return Text(f"{symbol} {when:%Y-%m-%d}" if when else symbol, style=style)


DUE_WIDTH = 8  # "↻ 10 Jan", "↻ today", "↻ Jan 2031"


def _is_due(status: progress.Status, day_end) -> bool:
    return status.due is not None and day_end is not None and status.due < day_end


def _due_cell(status: progress.Status, day_end) -> Text:
    """When a passed kata comes back to be written again: today (due), a day and month within
    the next ten months, else a month and year."""
    if status.due is None:
        return Text(" " * DUE_WIDTH)
    if _is_due(status, day_end):
        return Text(f"{'↻ today':<{DUE_WIDTH}}", style="bold cyan")
    local = status.due.astimezone()
    shown = f"↻ {local:%d %b}" if status.due - clock.now() < timedelta(days=300) else f"↻ {local:%b %Y}"
    return Text(f"{shown:<{DUE_WIDTH}}", style="cyan")


def _day_end(status: dict[str, progress.Status]):
    """The end of the study day; None when no kata comes back within a day, which then needs
    not the settings (reading them costs `dlprep list` 10 ms)."""
    now = clock.now()
    if not any(s.due is not None and s.due < now + timedelta(days=1) for s in status.values()):
        return None
    return progress.day_end(now)


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
                "due": status[k.id].due.isoformat() if status[k.id].due else None,
            }
            for k in catalog.katas
        ]
        print(json.dumps(rows, indent=2))
        return
    # One line per kata, drawn by hand (a rich Table takes 20 ms to lay this out): ids are what
    # people type next and are never cut; titles give way to the width.
    id_width = max(len(k.id) for k in catalog.katas) + 2  # indented under its section
    uses_width = max(len(k.framework) for k in catalog.katas)
    # "  id title uses ★★★  ↻ 09 Jan ✓ 2030-01-02": the title gets what the other columns leave
    title_width = max(12, min(max(len(k.title) for k in catalog.katas), console.width - id_width - uses_width - 21 - DUE_WIDTH))
    passed = sum(s.state is progress.State.PASSED for s in status.values())
    day_end = _day_end(status)
    due = sum(_is_due(s, day_end) for s in status.values())
    lines = Text.assemble(("dlprep katas", "bold"), f": {passed} of {len(catalog.katas)} passed")
    lines.append(f", {due} due to write again today\n" if due else "\n")
    for section, section_title in catalog.sections.items():
        katas = [k for k in catalog.katas if k.section == section]
        if not katas:
            continue
        done = sum(status[k.id].state is progress.State.PASSED for k in katas)
        heading = f"{section} {section_title}"
        lines.append(f"{heading:<{id_width + title_width + uses_width + DUE_WIDTH + 9}}{done}/{len(katas)}\n", style="bold")
        for k in katas:
            title = k.title if len(k.title) <= title_width else k.title[: title_width - 1] + "…"
            lines.append(f"  {k.id:<{id_width - 2}} {title:<{title_width}} ")
            lines.append(f"{k.framework:<{uses_width}}", style="dim")
            lines.append(f" {'★' * k.difficulty:<3}  ")
            lines.append_text(_due_cell(status[k.id], day_end))
            lines.append(" ")
            lines.append_text(_status_cell(status[k.id]))
            lines.append("\n")
    console.print(lines, end="", overflow="ignore", crop=False, soft_wrap=True)
    console.print("[green]✓[/green] passed  [yellow]◐[/yellow] in progress  [dim]·[/dim] not started  [cyan]↻[/cyan] due again   Start: [cyan]dlprep exercise ID[/cyan]")


def _what_next(catalog: Catalog, kata: Kata, status: dict[str, progress.Status]) -> str:
    following = progress.next_to_do(catalog.ids(), status, kata.id)
    if following is None:
        return "Every kata is passed."
    return f"Next: [cyan]dlprep exercise {following}[/cyan] ({catalog.get(following).title})."


def exercise(
    kata_id: KataArg,
    workspace_dir: WorkspaceOpt = None,
    reset: Annotated[bool, typer.Option("--reset", help="Restore the stub; your current file is backed up first.")] = False,
) -> None:
    """Show a kata's statement and put its stub in your workspace (never overwriting your work).

    A passed kata that is due again gets a blank stub for writing it again from memory; the attempt you passed is kept beside it (attention.py becomes attention.2030-01-07.py), and the pass of the new one reschedules it.

    Example: [cyan]dlprep exercise attention[/cyan], edit the file it names, then [cyan]dlprep grade[/cyan].
    """
    from rich.markdown import Markdown

    catalog, kata = load(), _kata(kata_id)
    status = progress.statuses(catalog.ids(), workspace_dir)
    store.check(write=True)  # the stub's start is recorded: refuse a database that cannot take it, before showing anything
    console.print(Markdown(paths.statement(kata.id).read_text(encoding="utf-8")))
    begun = begin_kata(kata, workspace_dir, reset=reset)
    copy = begun.copy
    console.print()
    if begun.again:
        console.print(f"[bold]{kata.id} is due: write it again, from memory, in the blank stub[/bold] [bold]{escape(str(copy.path))}[/bold]")
        if copy.backup is not None:
            console.print(f"The attempt you passed is kept as {escape(str(copy.backup))}")
    elif copy.started is workspace.Started.EXISTED:
        console.print(f"Your file already exists (left as it is): [bold]{escape(str(copy.path))}[/bold]")
        console.print(f"Start again from the stub with [cyan]dlprep exercise {kata.id} --reset[/cyan].")
    else:
        console.print(f"Your file: [bold]{escape(str(copy.path))}[/bold]")
        if copy.backup is not None:
            console.print(f"Your previous version was saved as {escape(str(copy.backup))}")
        elif copy.started is workspace.Started.RESET:
            console.print("It was the untouched stub already: nothing to back up.")
    passed_at, due = status[kata.id].passed_at, status[kata.id].due
    if begun.again:
        console.print(f"Next: run [cyan]dlprep grade {kata.id}[/cyan] when it is done: its pass reschedules {kata.id} (a hint makes it Hard, the solution Again).")
    elif passed_at is not None:
        from dlprep.cli.scheduling import when

        console.print(f"[green]✓ You passed {kata.id} on {passed_at:%Y-%m-%d}.[/green] Compare with the reference: [cyan]dlprep solution {kata.id}[/cyan]")
        if due is not None:
            console.print(f"It comes back {when(due)}, to write again from a blank stub.")
        console.print(_what_next(catalog, kata, status))
    else:
        console.print(f"Next: implement it, then run [cyan]dlprep grade {kata.id}[/cyan]  (stuck? [cyan]dlprep hint {kata.id}[/cyan])")


def begin_kata(kata: Kata, workspace_dir: Path | None, *, reset: bool = False):
    """The kata's stub in the workspace, as `memory.begin` decides (a fresh one when it is due)."""
    from dlprep.katas import memory

    try:
        with store.connect(write=True) as conn:
            return memory.begin(conn, kata.id, workspace_dir, clock.now(), progress.day_starts_at(), reset=reset)
    except OSError as exc:
        fail(f"could not write your copy of the stub: {exc}")


def _target(catalog: Catalog, kata_id: str | None, file: Path | None, workspace_dir: Path | None) -> tuple[Kata, Path]:
    """The kata to grade and its file: as named, else the one `--file` is for, else the one saved last."""
    from dlprep.katas.infer import KataNotInferred, kata_of_file

    if file is not None and not file.is_file():
        fail(f"no file to grade at {file}.")
    if kata_id is not None:
        kata = _kata(kata_id)
    elif file is not None:
        try:
            kata = kata_of_file(file, catalog)
        except KataNotInferred as exc:
            fail(str(exc))
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"could not read {file}: {exc}")
    else:
        last = progress.last_worked_on(catalog.ids(), workspace_dir)
        if last is None:
            fail("nothing to grade yet: start a kata with `dlprep exercise ID` (see `dlprep list`).")
        kata = catalog.get(last)
    target = file or paths.learner_copy(kata.id, workspace_dir)
    if not target.is_file():
        fail(f"no file to grade at {target}. Run `dlprep exercise {kata.id}` to create it.")
    return kata, target


def _isolation(value: str) -> str:
    choice = value.strip().lower()
    if choice not in ISOLATION:
        raise typer.BadParameter(f"{value!r} is not an isolation mode: strict, auto or off")
    return choice


@contextmanager
def _ending_cleanly_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal) end dlprep the way Ctrl-C does: through every
    `finally`, so that no learner's process and no temporary folder is left behind."""

    def leave(signum, frame):
        raise KeyboardInterrupt

    previous = {signum: signal.signal(signum, leave) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def grade(
    kata_id: Annotated[Optional[str], typer.Argument(metavar="KATA", help="Kata id; default: the kata --file is named after or defines, else the kata whose file you saved last.", show_default=False)] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Grade this file instead of your workspace copy.", show_default=False)] = None,
    every: Annotated[bool, typer.Option("--all", help="Grade every kata you have started, then summarise.")] = False,
    device: Annotated[str, typer.Option(metavar="[auto|cpu|cuda|all]", callback=_device, help="auto: the CPU, plus CUDA when available; all: both, CUDA required.")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print only the grade as one JSON object (a list with --all).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show every check in a table, not only the failing ones.")] = False,
    repro: Annotated[bool, typer.Option("--repro", help="Save the smallest failing case beside your file and print code that runs it in a REPL.")] = False,
    timeout: Annotated[float, typer.Option(metavar="SECONDS", help="Seconds your code may run, per kata.", min=1)] = DEFAULT_TIMEOUT_S,
    isolation: Annotated[str, typer.Option(metavar="[strict|auto|off]", callback=_isolation, help="How your code is shut in: strict refuses to grade without the strong layers (see `dlprep doctor`); auto uses what this machine offers; off, none.")] = "auto",
    workspace_dir: WorkspaceOpt = None,
) -> None:
    """Run the kata's checks on your implementation and say exactly what is wrong.

    Your code runs in a process of its own, shut in by the operating system, with a time and memory limit; it is compared with a hidden reference outside that process. Exit status: 0 passed, 1 failed, 2 usage error.

    Examples: [cyan]dlprep grade[/cyan], [cyan]dlprep grade lstm --device cuda[/cyan], [cyan]dlprep grade --file my_adam.py --json[/cyan], [cyan]dlprep grade --all[/cyan], [cyan]dlprep grade attention --repro[/cyan]
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
        targets = [_target(catalog, kata_id, file, workspace_dir)]
    store.check(write=True)  # before the grading, not after: a grade that cannot be recorded is not run
    from dlprep.grading import grader
    from dlprep.grading.isolation import IsolationError

    devices = DEVICES[device]
    warm = "torch" if any(grader.host_for(kata) == "torch" for kata, _ in targets) else "numpy"
    from dlprep.cli.render import grading_progress, render_report, render_summary

    reports, recorded = [], []
    try:
        with _ending_cleanly_on_signals(), grader.Grader(isolation_mode=isolation, timeout_s=timeout, warm=warm) as grading:
            with grading_progress(console, len(targets), visible=not as_json and console.is_terminal) as advance:
                advance(f"Grading {targets[0][0].id}…")
                for kata, report in grading.grade_many(targets, devices):
                    recorded.append(progress.record_report(report, watched=False))
                    reports.append(report)
                    advance(f"Graded {kata.id}")
            snippet = _save_repro(grading, reports[0], targets[0]) if repro and not every else None
    except IsolationError as exc:
        fail(str(exc))
    except grader.NoCuda as exc:
        fail(f"--device {device} {exc}")
    except KeyboardInterrupt:
        err_console.print(f"Interrupted: the kata being graded was stopped; {len(reports)} grade(s) finished before were recorded.")
        raise typer.Exit(130)
    from dlprep.cli import scheduling

    if as_json:
        documents = [{**report.to_dict(), **scheduling.to_json(done)} for report, done in zip(reports, recorded)]
        print(json.dumps(documents if every else documents[0], indent=2))
    elif every:
        render_summary(console, reports)
    else:
        render_report(console, reports[0], verbose=verbose)
        if snippet:
            console.print(snippet)
    if not as_json:
        for line in (line for done in recorded for line in scheduling.lines(done, brief=every)):
            console.print(line, highlight=False)
    if any(report.passed for report in reports):
        from dlprep import plan

        plan.mark_if_done(workspace_dir)
    raise typer.Exit(0 if all(report.passed for report in reports) else 1)


def _save_repro(grading, report, target: tuple[Kata, Path]) -> str | None:
    """Write the smallest failing case beside the graded file; the code that runs it, for the terminal."""
    from rich.syntax import Syntax

    from dlprep.grading import repro

    kata, file = target[0], target[1].resolve()
    if report.passed or report.repro is None or grading.last is None:
        return None
    case, expected = grading.last.cases[report.repro], grading.last.expected[report.repro]
    saved = file.with_name(f"{file.stem}.repro")
    try:
        repro.save(kata.id, kata.framework, case, expected, saved)
    except OSError as exc:
        fail(f"could not write {saved}: {exc}", 1)
    code = repro.snippet(kata.id, case.call, case, hasattr(grading.last.checks, "run"), saved, file)
    return Group(Text(f"The smallest failing case, '{case.name}', is in {saved}. In a Python REPL started anywhere:", style="bold"),
                 Syntax(code, "python", theme="ansi_dark", word_wrap=True))


def hint(
    kata_id: KataArg,
    every: Annotated[bool, typer.Option("--all", help="Show again every hint seen so far, and reveal none.")] = False,
) -> None:
    """Show the next hint for a kata; each call reveals one more."""
    kata = _kata(kata_id)
    if every:
        seen = progress.hints_seen(kata.id, kata.hints)
        if not seen:
            console.print(f"No hint seen yet for {kata.id}: [cyan]dlprep hint {kata.id}[/cyan] shows the first.")
        for number, text in enumerate(seen, 1):
            _show_hint(kata, number, text)
        return
    show_next_hint(kata)


def _show_hint(kata: Kata, number: int, text: str) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel

    console.print(Panel(Markdown(text), title=f"{kata.id}: hint {number} of {len(kata.hints)}", title_align="left"))


def show_next_hint(kata: Kata) -> None:
    shown = progress.next_hint(kata.id, kata.hints)
    if shown is None:
        console.print(f"That was every hint for {kata.id} ([cyan]dlprep hint {kata.id} --all[/cyan] shows them again). Still stuck? [cyan]dlprep solution {kata.id}[/cyan]")
        return
    _show_hint(kata, *shown)


def solution(
    kata_id: KataArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Show it without asking, even before you pass.")] = False,
) -> None:
    """Show the reference implementation (asks first if you have not passed the kata).

    In a terminal long lines wrap; piped or redirected, the file is printed as it is.
    """
    if not reveal_solution(_kata(kata_id), lambda question: yes or typer.confirm(question, default=False)):
        raise typer.Exit(1)


def reveal_solution(kata: Kata, confirm: Callable[[str], bool]) -> bool:
    """Show the reference, logged as viewed (which makes the attempt's pass an Again); before the
    kata is passed only if `confirm` says yes to the question it is given. Whether it was shown."""
    passed = progress.statuses([kata.id])[kata.id].state is progress.State.PASSED
    if not (passed or confirm(f"You have not passed {kata.id} yet. Show the reference anyway?")):
        return False
    progress.solution_shown(kata.id)
    show_solution(kata)
    return True


def show_solution(kata: Kata) -> None:
    source = paths.reference(kata.id).read_text(encoding="utf-8")
    if not console.is_terminal:
        typer.echo(source, nl=False)
        return
    from rich.syntax import Syntax

    console.print(Syntax(source, "python", line_numbers=True, theme="ansi_dark", word_wrap=True))


def register(app: typer.Typer) -> None:
    """Add the kata commands to the root application."""
    app.command("list")(list_katas)
    app.command()(exercise)
    app.command()(grade)
    app.command()(hint)
    app.command()(solution)
