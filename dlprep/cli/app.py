"""The root Typer application and what every command shares.

Commands live in the modules of this package, each with a `register(app)`. The root group
imports a module only when one of its commands runs or shows its help: `dlprep list` never
loads the flashcard code, nor `dlprep quiz` the kata code. `COMMANDS` names each command's
module and the line `dlprep --help` shows for it, so that the overview loads none of them.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from typing import NoReturn

import typer
import typer.core
import typer.main
from rich.console import Console
from rich.text import Text
from typer._click.exceptions import UsageError

from dlprep import paths
from dlprep.cli import help_pages
from dlprep.clock import ClockError
from dlprep.store import StoreError

COMMANDS: dict[str, tuple[str, str]] = {
    "today": ("today", "Show the day's plan (cards due, katas due, new ones, the time it takes), then run it."),
    "list": ("katas", "Every kata, by guide section, with your progress."),
    "exercise": ("katas", "Show a kata's statement and put its stub in your workspace (never overwriting your work)."),
    "grade": ("katas", "Run the kata's checks on your implementation and say exactly what is wrong."),
    "watch": ("watch", "Grade your file now and again every time you save it; each result replaces the last."),
    "hint": ("katas", "Show the next hint for a kata; each call reveals one more."),
    "solution": ("katas", "Show the reference implementation (asks first if you have not passed the kata)."),
    "quiz": ("cards", "Review flashcards, scheduled by spaced repetition (FSRS)."),
    "drill": ("cards", "Numeric questions from the guide's formulas, graded as you type."),
    "stats": ("cards", "Your progress: cards and katas due, reviews, retention, streak, a heatmap, a 30-day forecast, mastery."),
    "cards": ("cards", "Browse, search and export the flashcards."),
    "doctor": ("doctor", "Check what dlprep relies on; --backup rescues a damaged progress database."),
}
"""Every command: the module of this package that registers it, and its summary (its docstring's first line)."""


def _help_drawn_by_dlprep(commands: typer.Typer) -> None:
    for info in commands.registered_commands:
        if info.cls in (None, typer.core.TyperCommand):
            info.cls = help_pages.Command
    for group in commands.registered_groups:
        group.cls = help_pages.Group
        _help_drawn_by_dlprep(group.typer_instance)


def load(module: str) -> typer.Typer:
    """The commands `dlprep.cli.<module>` registers, with help pages drawn by `help_pages`."""
    commands = typer.Typer(rich_markup_mode="rich")
    importlib.import_module(f"dlprep.cli.{module}").register(commands)
    _help_drawn_by_dlprep(commands)
    return commands


class Root(help_pages.Group):
    """The `dlprep` group: subcommands come from `COMMANDS`, each module loaded on first use."""

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, name: str):
        if name not in self.commands and name in COMMANDS:
            self.commands.update(typer.main.get_group(load(COMMANDS[name][0])).commands)
        return self.commands.get(name)

    def summaries(self, ctx: typer.Context) -> dict[str, str]:
        return {name: summary for name, (_, summary) in COMMANDS.items()}

    def resolve_command(self, ctx: typer.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:  # Typer suggests only among the commands loaded so far
            import difflib

            close = difflib.get_close_matches(args[0], COMMANDS) if args else []
            if close and "Did you mean" not in error.message:
                error.message = f"{error.message.rstrip('.')}. Did you mean {', '.join(map(repr, close))}?"
            raise

    def invoke(self, ctx: typer.Context):
        """Every command answers a database or clock it cannot use the same way: why, and exit 1."""
        try:
            return super().invoke(ctx)
        except (StoreError, ClockError) as exc:
            fail(str(exc), 1)
        except sqlite3.DatabaseError as exc:  # locked past the busy timeout, disk full, damaged meanwhile
            fail(f"{paths.database()}: {exc}. Everything saved before this is kept; `dlprep doctor` looks closer.", 1)


app = typer.Typer(
    cls=Root,
    name="dlprep",
    help=(
        "Deep-learning interview prep: flashcards from the study guide, scheduled with "
        "spaced repetition, and coding katas graded against hidden reference implementations."
    ),
    no_args_is_help=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# No :emoji: codes: card text is the learner's own (`Q::A` notes), and the table of codes costs 2 ms to load.
console = Console(emoji=False)
err_console = Console(stderr=True, emoji=False)

WELCOME = """[bold]dlprep[/bold]: prepare for deep-learning interviews.

  [cyan]dlprep today[/cyan]                the day's plan: due cards and katas, new ones
  [cyan]dlprep quiz[/cyan]                 review today's flashcards
  [cyan]dlprep list[/cyan]                 see every coding kata and your progress
  [cyan]dlprep exercise attention[/cyan]   start a kata (writes a stub into your workspace)
  [cyan]dlprep grade[/cyan]                grade the kata you worked on last

Run [cyan]dlprep --help[/cyan] for every command."""


@app.callback(invoke_without_command=True)
def root(ctx: typer.Context) -> None:
    # Alone, `dlprep` shows the day's plan once the learner has started, a welcome before that.
    if ctx.invoked_subcommand is None:
        from dlprep.cli.today import overview

        if not overview():
            console.print(WELCOME)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-paragraph error on stderr and exit: usage errors exit 2. Never wrapped by us: a
    path in it must stay whole to be copied (the terminal wraps what is too long)."""
    err_console.print(Text.assemble(("error:", "red"), " ", message), highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def plural(number: int, noun: str) -> str:
    """ "1 card", "2 cards"."""
    return f"{number} {noun}{'s' * (number != 1)}"


def is_interactive() -> bool:
    return sys.stdin.isatty()
