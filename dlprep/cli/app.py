"""The root Typer application and what every command shares."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

app = typer.Typer(
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

console = Console()
err_console = Console(stderr=True)

WELCOME = """[bold]dlprep[/bold]: prepare for deep-learning interviews.

  [cyan]dlprep quiz[/cyan]                 review today's flashcards
  [cyan]dlprep list[/cyan]                 see every coding kata and your progress
  [cyan]dlprep exercise attention[/cyan]   start a kata (writes a stub into your workspace)
  [cyan]dlprep grade[/cyan]                grade the kata you worked on last

Run [cyan]dlprep --help[/cyan] for every command."""


@app.callback(invoke_without_command=True)
def root(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        console.print(WELCOME)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-paragraph error on stderr and exit: usage errors exit 2."""
    err_console.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def is_interactive() -> bool:
    return sys.stdin.isatty()
