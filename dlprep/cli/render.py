"""How a grade looks in the terminal."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dlprep.grading.report import GradeReport


def _err(value: float | None) -> str:
    return "" if value is None else f"{value:.1e}"


def render_report(console: Console, report: GradeReport) -> None:
    # Checks that could not run (a function not written yet) say nothing a summary line doesn't.
    shown = [check for check in report.checks if "is not implemented yet" not in check.message]
    if shown:
        table = Table(title=f"{report.kata}: {report.file}", title_justify="left")
        table.add_column("case", overflow="fold", max_width=24)
        table.add_column("on", no_wrap=True)
        table.add_column("shapes", overflow="fold", max_width=22, style="dim")
        table.add_column("max err abs / rel", justify="right", no_wrap=True)
        table.add_column("result", overflow="fold", ratio=1)
        for check in shown:
            result = Text("ok", style="green") if check.passed else Text(check.message, style="red")
            if not check.passed and check.note:
                result.append(f"\n({check.note})", style="dim")
            errors = "" if check.max_abs_err is None else f"{_err(check.max_abs_err)} / {_err(check.max_rel_err)}"
            table.add_row(check.name, f"{check.device} {check.dtype.replace('float', 'f')}", check.shapes, errors, result)
        console.print(table)
    for diagnosis in report.diagnosis:
        console.print(Panel(diagnosis.message, title=f"likely mistake: {diagnosis.mistake}", title_align="left", border_style="yellow"))
    if report.output.strip():
        console.print(Panel(Text(report.output.rstrip()), title="your code printed", title_align="left", border_style="dim"))
    if report.error is not None:
        console.print(Panel(Text(report.error.message), title=f"error: {report.error.kind}", title_align="left", border_style="red"))
    failed = sum(not check.passed for check in report.checks)
    devices = ", ".join(report.devices)
    if report.passed:
        console.print(f"[bold green]✔ {report.kata} passed[/bold green]: {len(report.checks)} checks on {devices} in {report.duration_s:.1f} s")
    elif report.error is not None:
        console.print(f"[bold red]✘ {report.kata} not passed[/bold red]: {report.error.kind}")
    else:
        console.print(f"[bold red]✘ {report.kata} not passed[/bold red]: {failed} of {len(report.checks)} checks failed on {devices}")


@contextmanager
def grading_progress(console: Console, total: int, *, visible: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar over the katas being graded; `advance(label)` starts the next one."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    if not visible:
        yield lambda label: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("", total=total)
        started = False

        def advance(label: str) -> None:
            nonlocal started
            bar.update(task, description=label, advance=1 if started else 0)
            started = True

        yield advance


def render_summary(console: Console, reports: list[GradeReport]) -> None:
    table = Table(title="dlprep grade --all", title_justify="left")
    for column in ("kata", "result", "checks", "likely mistake / error", "time"):
        table.add_column(column, justify="right" if column == "time" else "left", overflow="fold")
    for report in reports:
        failed = sum(not check.passed for check in report.checks)
        verdict = "[green]passed[/green]" if report.passed else "[red]not passed[/red]"
        detail = report.error.kind if report.error else ", ".join(d.mistake for d in report.diagnosis)
        table.add_row(report.kata, verdict, f"{len(report.checks) - failed}/{len(report.checks)}", detail, f"{report.duration_s:.1f} s")
    console.print(table)
    passed = sum(report.passed for report in reports)
    console.print(f"{passed} of {len(reports)} katas passed. Details: [cyan]dlprep grade KATA[/cyan]")
