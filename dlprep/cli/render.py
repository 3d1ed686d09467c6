"""How a grade looks in the terminal."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from dlprep.grading.report import FailureGroup, GradeReport, failure_groups


def _err(value: float | None) -> str:
    return "" if value is None else f"{value:.1e}"

SHOWN_FAILURES = 8
"""Lines of failing cases a compact report shows; --verbose shows every check."""
LABEL = 26


def render_report(console: Console, report: GradeReport, *, verbose: bool = False, command: str = "") -> None:
    """A grade on one screen: verdict and diagnosis first, one line per failing case (identical
    messages folded), the passing ones in a line. `verbose` adds the table of every check.
    `command` is what to run for more, where the grade did not come from `dlprep grade` itself."""
    if verbose:
        _table(console, report)
    _verdict(console, report)
    for diagnosis in report.diagnosis:
        console.print(Text.assemble(("Likely mistake: ", "bold yellow"), (diagnosis.mistake, "bold"), f" ({diagnosis.summary})" if diagnosis.summary else ""))
        console.print(Padding(Text(diagnosis.message), (0, 0, 0, 2)))
    if report.localisation is not None:
        console.print(Text.assemble(("Where: ", "bold yellow"), report.localisation.message))
    if report.error is not None:
        console.print(Padding(Text(_trimmed(report.error.message, 12), style="red"), (0, 0, 0, 2)))
    elif not verbose:
        _failures(console, report)
    for note in report.notes[:3]:
        console.print(Text.assemble(("note: ", "dim"), (note, "dim")))
    if report.output.strip():
        console.print(Text("your code printed:", style="dim"))
        console.print(Padding(Text(_trimmed(report.output.rstrip(), 4), style="dim"), (0, 0, 0, 2)))
    if not report.passed and report.checks and not verbose:
        more = f"{command} --verbose" if command else "--verbose"
        console.print(Text(f"More: {more} (every check) · --repro (the smallest failing case, for a REPL)", style="dim"))


def _verdict(console: Console, report: GradeReport) -> None:
    devices = ", ".join(report.devices)
    if report.passed:
        console.print(f"[bold green]✔ {report.kata} passed[/bold green]: {len(report.checks)} checks on {devices} in {report.duration_s:.1f} s")
    elif report.error is not None:
        console.print(f"[bold red]✘ {report.kata} not passed[/bold red]: {report.error.kind}")
    else:
        failed = sum(not check.passed for check in report.checks)
        console.print(f"[bold red]✘ {report.kata} not passed[/bold red]: {failed} of {len(report.checks)} checks failed on {devices}")


def _failures(console: Console, report: GradeReport) -> None:
    groups = failure_groups(report)
    width = max(console.width, 60)
    # Few distinct failures and no mistake named: each message is the news, so it is shown whole.
    whole = not report.diagnosis and len(groups) <= 3
    for group in _shown(groups):
        first = group.checks[0]
        label = first.name if len(group.checks) == 1 else f"{len(group.checks)} cases ({first.name}, ...)"
        if first.dtype == "float32":
            label += " [f32]"
        line = Text("  ✘ ", style="red")
        if whole:
            line.append(label, style="bold")
            console.print(line)
            console.print(Padding(Text(_trimmed(first.message, 6)), (0, 0, 0, 6)))
            continue
        line.append(_fit(label, LABEL).ljust(LABEL), style="bold")
        line.append(" ")
        line.append(_fit(_headline(first.message), width - len(line.plain) - 1))
        console.print(line, no_wrap=True, overflow="ellipsis")
    hidden = sum(len(group.checks) for group in groups) - sum(len(group.checks) for group in _shown(groups))
    if hidden:
        console.print(Text(f"  … and {hidden} more failing case{'s' if hidden != 1 else ''}", style="dim"))
    passed = [check.name for check in report.checks if check.passed]
    if passed:
        names = _fit(", ".join(passed), width - 20)
        console.print(Text.assemble(("  ✔ ", "green"), f"{len(passed)} passed: ", (names, "dim")), no_wrap=True, overflow="ellipsis")
    if not report.diagnosis:
        notes = list(dict.fromkeys(c.note for c in report.checks if not c.passed and c.note and "differ" in c.message))
        for note in notes[:2]:
            console.print(Text(f"  ({note})", style="dim"))


def _shown(groups: list[FailureGroup]) -> list[FailureGroup]:
    """The first SHOWN_FAILURES groups, except that every function that failed shows at least its
    first: a failure of another function is news that many failures of one must not hide."""
    firsts = list({group.checks[0].call: index for index, group in reversed(list(enumerate(groups)))}.values())
    chosen = set(sorted(firsts)[:SHOWN_FAILURES])
    chosen |= set([i for i in range(len(groups)) if i not in chosen][: SHOWN_FAILURES - len(chosen)])
    return [groups[i] for i in sorted(chosen)]


def _headline(message: str) -> str:
    """A message in one line: for an exception, what was raised rather than that something was."""
    lines = [line for line in message.splitlines() if line.strip()] or [""]
    return f"raised {lines[-1].strip()}" if lines[0] == "raised an exception:" and len(lines) > 1 else lines[0]


def _fit(text: str, width: int) -> str:
    width = max(width, 10)
    return text if len(text) <= width else text[: width - 1] + "…"


def _trimmed(text: str, lines: int) -> str:
    rows = text.splitlines()
    return "\n".join(rows[:lines] + ([f"… ({len(rows) - lines} more lines)"] if len(rows) > lines else []))


def _table(console: Console, report: GradeReport) -> None:
    # Checks that could not run (a function not written yet) say nothing a summary line doesn't.
    shown = [check for check in report.checks if "is not implemented yet" not in check.message]
    if not shown:
        return
    table = Table(title=Text(f"{report.kata}: {report.file}"), title_justify="left")
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
