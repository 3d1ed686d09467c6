"""Forbidden APIs found in the source before anything runs: imports, aliases, attribute chains.

A forbidden entry is a dotted name, possibly with shell wildcards in its last part:
`torch.nn.functional.scaled_dot_product_attention`, `torch.optim` (the module and all of
it), `torch.nn.functional.*cross_entropy*`, or a Tensor method form, `Tensor.log_softmax`.
Whatever the source hides (`getattr` with a built name, a function found through `gc`) trips
at run time instead, in `monitor`.
"""

from __future__ import annotations

import ast
import fnmatch
from dataclasses import dataclass

TENSOR_METHOD = "Tensor."


@dataclass(frozen=True)
class Use:
    api: str
    line: int


def matches(dotted: str, forbidden: tuple[str, ...]) -> str | None:
    """The forbidden entry that `dotted` falls under, if any."""
    for entry in forbidden:
        if entry.startswith(TENSOR_METHOD):
            continue
        if fnmatch.fnmatchcase(dotted, entry) or dotted.startswith(entry + "."):
            return entry
    return None


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in aliases:
        return ".".join([aliases[node.id], *reversed(parts)])
    return None


def scan(tree: ast.Module, forbidden: tuple[str, ...]) -> list[Use]:
    """Every use of a forbidden API that reading the source reveals (imports, aliases, attribute chains)."""
    methods = {entry.removeprefix(TENSOR_METHOD) for entry in forbidden if entry.startswith(TENSOR_METHOD)}
    aliases: dict[str, str] = {}
    uses: list[Use] = []

    def flag(dotted: str, line: int) -> None:
        entry = matches(dotted, forbidden)
        if entry is not None:
            uses.append(Use(dotted, line))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                flag(alias.name, node.lineno)
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                flag(full, node.lineno)
                aliases[alias.asname or alias.name] = full
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Name)):
            dotted = _dotted(node, aliases)
            if dotted is not None and dotted not in aliases.values():
                flag(dotted, node.lineno)
            elif isinstance(node, ast.Attribute) and node.attr in methods:
                uses.append(Use(f"Tensor.{node.attr}", node.lineno))
    # `torch.optim.Adam` also contains `torch.optim`: on a line, a name is dropped when a more
    # specific one covers it; `from m import a, b` keeps both a and b.
    unique = sorted(set(uses), key=lambda use: (use.line, use.api))
    return [use for use in unique if not any(
        other.line == use.line and other.api.startswith(use.api + ".") for other in unique)]


def describe(uses: list[Use]) -> str:
    """One sentence naming each forbidden name once, with every line it is on."""
    lines: dict[str, list[int]] = {}
    for use in uses:
        lines.setdefault(use.api, []).append(use.line)
    named = "; ".join(
        f"`{api}` (line{'s' if len(at) > 1 else ''} {', '.join(map(str, at))})" for api, at in lines.items()
    )
    return f"{named}: this kata forbids {'it' if len(lines) == 1 else 'them'}, implement it yourself"


class ForbiddenAPIError(BaseException):
    """Raised by a tripwire. A BaseException, so `except Exception` in a submission cannot hide it."""

    def __init__(self, api: str):
        super().__init__(api)
        self.api = api
