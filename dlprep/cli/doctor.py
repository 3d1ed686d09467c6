"""`dlprep doctor`: the checks of `dlprep.doctor`, one line each, and the database rescue."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from dlprep.cli.app import console, fail

MARKS = {"ok": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✘", "red")}


def doctor(
    backup: Annotated[bool, typer.Option("--backup", help="Copy the progress database aside; if it is damaged, rebuild what can still be read in its place.")] = False,
) -> None:
    """Check what dlprep relies on; --backup rescues a damaged progress database.

    Each check is one line: the data folder, the progress database (readable, writable, intact), its migration backups, your workspace, the sqlite3 program and PyTorch. Exit status: 0 when nothing failed, 1 otherwise.

    [bold]Examples[/bold]
      [cyan]dlprep doctor[/cyan]
      [cyan]dlprep doctor --backup[/cyan]    after "is damaged": keep a copy, rebuild the rest
    """
    from dlprep import doctor as checks

    if backup:
        try:
            rescue = checks.backup_and_rebuild()
        except checks.RescueError as exc:
            fail(str(exc), 1)
        console.print(f"Copied the database, as it was, to [bold]{escape(str(rescue.copy))}[/bold]")
        if not rescue.problems:
            console.print("It is intact: nothing to rebuild.")
        else:
            kept = ", ".join(f"{table} {rows}" for table, rows in rescue.rows.items())
            console.print(f"It was damaged ({len(rescue.problems)} problems) and was rebuilt {rescue.method}; rows kept: {kept}", highlight=False)
            for note in rescue.notes:
                console.print(f"  note: {note}", highlight=False)
        console.print()
    findings = checks.run()
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    for finding in findings:
        mark, style = MARKS[finding.status.value]
        table.add_row(Text(mark, style=style), finding.check, Text(finding.detail))
    console.print(table)
    raise typer.Exit(1 if any(f.status is checks.Status.FAIL for f in findings) else 0)


def register(app: typer.Typer) -> None:
    app.command()(doctor)
