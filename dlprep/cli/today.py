"""`dlprep today`: the day's plan, shown, then run in order: the quiz, then each kata in watch mode.

What is planned is decided in `dlprep.plan`; the plan is drawn as plain lines, so that it reads
the same in a terminal and piped. Everything a step does is saved as it happens (each rating,
each grade, each stub), so Ctrl-C, q or a closed terminal stops the day without losing any of it,
and the next `dlprep today` plans what is left.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.rule import Rule

from dlprep import clock, plan, store
from dlprep.cli.app import console, err_console, plural
from dlprep.cli.katas import WorkspaceOpt, _ending_cleanly_on_signals, begin_kata
from dlprep.katas.catalog import load

INTERRUPTED = 130
KEYS = "h hint · s solution · r grade again · n next step · q stop for today"


def _minutes(minutes: float) -> str:
    whole = max(1, round(minutes))
    return f"{whole // 60} h {whole % 60:02d} min" if whole >= 60 else f"{whole} min"


def _local_day(moment: datetime) -> str:
    return f"{moment.astimezone():%a %d %b}"


def plan_lines(day_plan: plan.Plan) -> list[str]:
    """The plan as plain lines, at most 80 columns: a heading, then one line per step."""
    if day_plan.empty:
        later = f" The next review is due {_local_day(day_plan.next_due)}." if day_plan.next_due else ""
        return [f"Today, {day_plan.day:%a %d %b}: nothing left to do.{later}"]
    lines = [f"Today, {day_plan.day:%a %d %b}: about {_minutes(day_plan.minutes)}"]
    steps = []
    if day_plan.cards_due or day_plan.cards_new:
        steps.append(("flashcards", f"{day_plan.cards_due} due, {day_plan.cards_new} new", day_plan.card_minutes))
    catalog = load()
    for step in day_plan.katas:
        if step.again:
            what = f"write it again (due {_local_day(step.due)})"
        else:
            what = f"new: {catalog.get(step.kata).title}"
        steps.append((step.kata, what, step.minutes))
    for number, (name, what, minutes) in enumerate(steps, 1):
        what = what if len(what) <= 36 else what[:35] + "…"
        lines.append(f"  {number}. {name:<21} {what:<36} {_minutes(minutes):>9}")
    return lines


def show(day_plan: plan.Plan) -> None:
    for line in plan_lines(day_plan):
        console.print(line, highlight=False, markup=False, soft_wrap=True)


def compute(settings, deck, workspace_dir: Path | None, new: int | None, new_katas: int) -> plan.Plan:
    with store.connect(write=False) as conn:
        return plan.compute(
            conn, deck, clock.now(), new_per_day=settings.new_per_day if new is None else new,
            day_starts_at=settings.day_starts_at, new_katas=new_katas, workspace_dir=workspace_dir,
        )


def overview() -> bool:
    """What `dlprep` alone shows once the learner has started: the plan; False before that."""
    from dlprep.cli.cards import _load_deck, _settings

    with store.connect(write=False) as conn:
        if not plan.has_started(conn):
            return False
    settings = _settings()
    day_plan = compute(settings, _load_deck(None, settings), None, None, plan.NEW_KATAS_PER_DAY)
    show(day_plan)
    if not day_plan.empty:
        console.print("Run it: [cyan]dlprep today[/cyan] · every command: [cyan]dlprep --help[/cyan]")
    return True


def today(
    new: Annotated[
        Optional[int],
        typer.Option(min=0, help="Today's limit of new cards, counting those already seen today (default: new_per_day, 20).", show_default=False),
    ] = None,
    new_katas: Annotated[int, typer.Option(min=0, help="New katas a day, counting those first passed today.")] = plan.NEW_KATAS_PER_DAY,
    workspace_dir: WorkspaceOpt = None,
) -> None:
    """Show the day's plan (cards due, katas due, new ones, the time it takes), then run it.

    The plan: the flashcards due today and the day's new ones, the katas due to be written again from a blank stub (most overdue first), then a new kata. The time is estimated from your own review and grade durations. Then it runs in that order: the quiz, then each kata in watch mode (its statement, its stub, a grade on every save; keys: h hint, s solution, r grade again, n next step, q stop). Everything is saved as it happens: Ctrl-C or q stops for the day, and the next [cyan]dlprep today[/cyan] plans what is left.

    [bold]Examples[/bold]
      [cyan]dlprep today[/cyan]
      [cyan]dlprep today --new 5 --new-katas 0[/cyan]   a short day
    """
    from dlprep.cli.cards import _load_deck, _settings

    settings = _settings()
    deck = _load_deck(None, settings)
    store.check(write=True)
    day_plan = compute(settings, deck, workspace_dir, new, new_katas)
    show(day_plan)
    if day_plan.empty:
        _finish(day_plan)
        return
    console.print("[dim]In this order; q or Ctrl-C stops, keeping everything done.[/dim]")
    try:
        with _ending_cleanly_on_signals():
            carried_on = _run(day_plan, settings, deck, new, workspace_dir)
    except KeyboardInterrupt:
        err_console.print("Stopped: everything done so far is saved; [cyan]dlprep today[/cyan] plans what is left.")
        raise typer.Exit(INTERRUPTED) from None
    console.print()
    left = compute(settings, deck, workspace_dir, new, new_katas)
    if left.empty:
        _finish(left)
    elif not carried_on:
        console.print("Stopped for today. Left:")
        show(left)


def _finish(day_plan: plan.Plan) -> None:
    with store.connect(write=True) as conn:
        recorded = plan.record_if_done(conn, day_plan, clock.now())
        if recorded:
            days = plan.streak(conn, day_plan.day).current
            console.print(f"[green]Today's plan is done[/green]: {plural(days, 'day')} in a row.")


def _run(day_plan: plan.Plan, settings, deck, new: int | None, workspace_dir: Path | None) -> bool:
    """Each step in order; False when the learner stopped before the end."""
    if day_plan.cards_due or day_plan.cards_new:
        console.print(Rule("flashcards"))
        if not _quiz(settings, deck, new):
            return False
    for step in day_plan.katas:
        console.print(Rule(f"{step.kata}: {'write it again' if step.again else 'new kata'}"))
        if _kata(step.kata, workspace_dir) == "quit":
            return False
    return True


def _quiz(settings, deck, new: int | None) -> bool:
    from dlprep.cards import session as sessions
    from dlprep.cli.cards import run_session

    with store.connect(write=True) as conn:
        session = sessions.Session(
            conn, deck.cards, deck_keys={card.key for card in deck.cards},
            new_per_day=settings.new_per_day if new is None else new, day_starts_at=settings.day_starts_at,
        )
        finished = run_session(session)
    if finished is None:
        raise KeyboardInterrupt
    return finished


def _kata(kata_id: str, workspace_dir: Path | None) -> str:
    """One kata in watch mode, until it passes ("passed"), or the learner moves on ("next") or stops ("quit")."""
    from rich.markdown import Markdown

    from dlprep import paths
    from dlprep.cli import watch

    kata = load().get(kata_id)
    console.print(Markdown(paths.statement(kata.id).read_text(encoding="utf-8")))
    begun = begin_kata(kata, workspace_dir)
    if begun.again and begun.copy.backup is not None:
        console.print(f"The attempt you passed is kept as {escape(str(begun.copy.backup))}")
    how = KEYS if watch.interactive() else "Ctrl-C stops"
    ready = f"[bold]Write it in {escape(str(begun.copy.path))}[/bold]: each save is graded. [dim]{how}[/dim]"
    return watch.session(kata, begun.copy.path, workspace_dir=workspace_dir, step=True, ready=ready)


def register(app: typer.Typer) -> None:
    app.command()(today)
