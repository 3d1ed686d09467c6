"""Help pages in Typer's layout, drawn without `typer.rich_utils`.

Typer's help module imports `rich.markdown`, and with it markdown-it and Pygments (20 ms, a
fifth of `dlprep --help`), for a markup mode dlprep does not use. These classes draw Typer's
panels (usage, description, Arguments, Options, Commands) from the same Click parameters with
the parts of Rich that every command loads anyway. Errors keep Typer's own rendering.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

import typer.core
from rich.console import Console, Group as Stack
from rich.highlighter import RegexHighlighter
from rich.text import Text
from rich.theme import Theme
from typer import _click as click
from typer.core import TyperArgument, TyperGroup

if TYPE_CHECKING:
    from rich.panel import Panel


class _Options(RegexHighlighter):
    """Option names as Typer colours them: long ones cyan, short ones green."""

    highlights = [r"(^|\W)(?P<switch>-\w+)(?![a-zA-Z0-9])", r"(^|\W)(?P<option>--[\w-]+)(?![a-zA-Z0-9])", r"(?P<usage>Usage: )"]


_highlight = _Options()
_THEME = Theme({"option": "bold cyan", "switch": "bold green", "usage": "yellow"})


def _description(help_text: str) -> Stack:
    """The first paragraph as one line of text, the rest dim and as written (examples keep their columns)."""
    first, *rest = inspect.cleandoc(help_text).partition("\f")[0].split("\n\n")
    parts = [_highlight(Text.from_markup(first.replace("\n", " ").strip(), emoji=False))]
    if rest:
        parts += [Text(""), _highlight(Text.from_markup("\n\n".join(rest), style="dim", emoji=False))]
    return Stack(*parts)


def _extras(param: click.Parameter, ctx: click.Context) -> str:
    """`[default: …; required]` as Click words it, kept apart from the help so Rich markup cannot eat it."""
    record = param.get_help_record(ctx)
    return record[1][len(param.help or "") :].strip() if record else ""


def _param_row(param: click.Parameter, ctx: click.Context) -> list[Text]:
    if isinstance(param, TyperArgument):
        names, shorts, kind = [param.make_metavar(ctx)], [], param.type.name.upper()
    else:
        names = [name for name in param.opts if name.startswith("--")]
        shorts = [name for name in param.opts if not name.startswith("--")]
        kind = "" if getattr(param, "is_flag", False) else param.make_metavar(ctx)
    description = Text.from_markup(" ".join((param.help or "").split()), emoji=False)
    extras = _extras(param, ctx)
    if extras:
        description.append(f" {extras}" if description else extras, style="dim")
    return [
        Text("*" if param.required else "", style="red"),
        _highlight(Text(",".join(names))),
        _highlight(Text(",".join(shorts))),
        Text(kind, style="bold yellow"),
        _highlight(description),
    ]


def _panel(title: str, rows: list[list[Text]]) -> Panel | None:
    """Rows of cells in one panel: every column as narrow as its widest cell, the last one taking the rest."""
    from rich.panel import Panel
    from rich.table import Table  # here, not above: loading it costs 4 ms that only help pages need

    if not rows:
        return None
    if not any(row[0] for row in rows):  # Typer keeps the `*` column only for a required parameter
        rows = [row[1:] for row in rows]
    table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 1), expand=True, highlight=False)
    for _ in rows[0][:-1]:
        table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for row in rows:
        table.add_row(*row)
    return Panel(table, title=Text(title), title_align="left", border_style="dim")


def summaries(group: TyperGroup, ctx: click.Context) -> dict[str, str]:
    """Each subcommand's first help paragraph, as `dlprep --help` lists it."""
    if hasattr(group, "summaries"):
        return group.summaries(ctx)
    found = {}
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None and not command.hidden:
            found[name] = command.short_help or inspect.cleandoc(command.help or "").split("\n\n")[0].replace("\n", " ")
    return found


def render(command: click.Command, ctx: click.Context) -> None:
    from rich.padding import Padding

    console = Console(theme=_THEME, emoji=False)
    console.print(Padding(_highlight(Text(command.get_usage(ctx), style="bold")), 1))
    if command.help:
        console.print(Padding(_description(command.help), (0, 1, 1, 1)))
    params = [param for param in command.get_params(ctx) if not getattr(param, "hidden", False)]
    arguments = _panel("Arguments", [_param_row(p, ctx) for p in params if isinstance(p, TyperArgument)])
    options = _panel("Options", [_param_row(p, ctx) for p in params if not isinstance(p, TyperArgument)])
    listed = summaries(command, ctx) if isinstance(command, TyperGroup) else {}
    commands = _panel("Commands", [[Text(""), Text(name, style="bold cyan"), Text.from_markup(text, emoji=False)] for name, text in listed.items()])
    for panel in (arguments, options, commands):
        if panel is not None:
            console.print(panel)


class Command(typer.core.TyperCommand):
    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        render(self, ctx)


class Group(TyperGroup):
    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        render(self, ctx)
