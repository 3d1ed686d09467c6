"""How what a grade did to the schedule reads: the line under a grade, and its keys in `--json`."""

from __future__ import annotations

from datetime import datetime

from dlprep import clock
from dlprep.cli.app import plural
from dlprep.katas.progress import Recorded


def when(moment: datetime) -> str:
    """ "in 3 days (Thu 10 Jan)", "today (Mon 07 Jan)": how far off, and the local date."""
    left = (moment.astimezone().date() - clock.now().astimezone().date()).days
    span = "today" if left <= 0 else "tomorrow" if left == 1 else f"in {left} days"
    return f"{span} ({moment.astimezone():%a %d %b})"


def lines(recorded: Recorded, *, brief: bool = False) -> list[str]:
    """One line per thing the grade did to the schedule (Rich markup); none for a plain failure.
    `brief` (many grades at once) leaves out the passes that changed nothing."""
    shown = []
    outcome = recorded.scheduled
    if brief and outcome is not None and outcome.rating is None:
        outcome = None
    if outcome is not None and outcome.rating is not None:
        shown.append(
            f"[bold cyan]Scheduled[/bold cyan] {outcome.rating.name} ({outcome.reason}): {outcome.kata} comes back "
            f"{when(outcome.due)}, to write again from a blank stub."
        )
    elif outcome is not None and outcome.reason == "not due yet":
        shown.append(f"{outcome.kata} is not due yet: it comes back {when(outcome.due)}; this pass changes no schedule.")
    elif outcome is not None:
        shown.append(
            f"{outcome.kata} is due to be written again: [cyan]dlprep exercise {outcome.kata}[/cyan] keeps this file "
            "beside a blank stub, and the pass of that rates it."
        )
    pulled = recorded.pulled
    if pulled is not None and pulled.moved:
        shown.append(
            f"[bold yellow]{plural(len(pulled.moved), pulled.kata + ' card')} moved to today's review[/bold yellow] "
            f"({', '.join(pulled.mistakes)}): [cyan]dlprep today[/cyan] or [cyan]dlprep quiz[/cyan]."
        )
    elif pulled is not None and pulled.already:
        shown.append(f"Already in today's review: {plural(len(pulled.already), pulled.kata + ' card')} behind {', '.join(pulled.mistakes)}.")
    return shown


def to_json(recorded: Recorded) -> dict:
    """The keys a grade's JSON gains: what its pass scheduled, and the cards its failure moved."""
    outcome = recorded.scheduled
    return {
        "schedule": None if outcome is None else {
            "rating": outcome.rating.name if outcome.rating is not None else None,
            "reason": outcome.reason,
            "due": outcome.due.isoformat() if outcome.due else None,
        },
        "cards_moved": list(recorded.pulled.moved) if recorded.pulled else [],
    }
