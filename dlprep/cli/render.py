"""How a grade looks in the terminal."""

from __future__ import annotations

from rich.console import Console, Group
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
