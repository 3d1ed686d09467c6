"""`--help` of every command: options as Typer's documentation shows them, nothing lost to markup."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from dlprep.cli import app
from dlprep.cli.app import COMMANDS, load

runner = CliRunner(env={"COLUMNS": "100"})


def every_command() -> list[tuple[str, ...]]:
    paths = [()]
    for name in COMMANDS:
        paths.append((name,))
        command = typer.main.get_command(app).get_command(None, name)
        paths += [(name, sub) for sub in getattr(command, "commands", {})]
    return paths


def help_of(*path: str) -> str:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def flat(text: str) -> str:
    """The words of a help page, lines and panel borders gone."""
    return " ".join(text.replace("│", " ").split())


@pytest.mark.parametrize("path", every_command(), ids=lambda path: " ".join(path) or "dlprep")
def test_help_shows_flags_without_a_type_and_arguments_by_their_name(path):
    text = help_of(*path)
    assert not re.search(r"<(?:bool|str|int|float|path|file|uuid|datetime)(?: range)?>|<\w+(?:\|\w+)+>", text), "a <type> placeholder"
    assert "{" not in text.split("\n\n", 2)[1], "usage writes an argument as {NAME}"
    assert "BOOLEAN" not in text and "<bool>" not in text
    assert re.search(r"--help\s+-h\s+Show this message and exit\.", text)


def test_the_kata_argument_reads_kata():
    for command in ("exercise", "hint", "solution"):
        assert f"Usage: dlprep {command} [OPTIONS] KATA" in help_of(command)
    assert "Usage: dlprep grade [OPTIONS] [KATA]" in help_of("grade")


@pytest.mark.parametrize("command", ["list", "exercise", "grade"])
def test_workspace_help_names_its_default_and_its_variable(command):
    text = flat(help_of(command))
    assert re.search(r"--workspace -w PATH .*\$DLPREP_WORKSPACE when set, else ~/dlprep\.", text)


def test_a_help_text_in_square_brackets_is_not_eaten_as_markup():
    text = flat(help_of("grade"))
    assert "[default: auto]" in text and "[default: 20.0; x>=1]" in text


def test_quiz_examples_keep_their_descriptions_apart():
    examples = help_of("quiz").split("Examples", 1)[1].split("╭", 1)[0]
    lines = [line.strip() for line in examples.splitlines() if line.strip()]
    assert len(lines) >= 5
    for line in lines:
        assert re.fullmatch(r"\S.*?\S {2,}\S.*", line), f"example runs into its description: {line!r}"


def test_commands_lists_every_registered_command_with_its_docstring():
    modules = {module for module, _ in COMMANDS.values()}
    registered = {}
    for module in modules:
        group = typer.main.get_group(load(module))
        registered.update({name: (module, command) for name, command in group.commands.items()})
    assert set(registered) == set(COMMANDS), "a command missing from dlprep.cli.app.COMMANDS, or listed there in vain"
    for name, (module, command) in registered.items():
        first_paragraph = " ".join(inspect.cleandoc(command.help or "").split("\n\n")[0].split())
        assert COMMANDS[name] == (module, first_paragraph), name
        assert importlib.import_module(f"dlprep.cli.{module}")


def test_an_unknown_command_is_suggested_from_the_list():
    result = runner.invoke(app, ["lsit"])
    assert result.exit_code == 2
    assert "list" in result.output
