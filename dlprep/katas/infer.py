"""Which kata a file is for, when the learner names only the file: `dlprep grade --file X.py`.

The file is never imported: its name, then the functions and classes it defines at top level
(read with `ast`), decide. A guess is never made: when neither points at exactly one kata, the
learner is asked to name it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from dlprep.katas.catalog import Catalog, Kata


class KataNotInferred(LookupError):
    """No single kata fits the file; the message says which to name and how."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()):
        self.candidates = candidates
        super().__init__(message)


def top_level_names(source: str) -> set[str]:
    """Functions and classes a module defines at top level."""
    tree = ast.parse(source)
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def kata_of_file(file: Path, catalog: Catalog) -> Kata:
    """The kata `file` is named after (`attention.py`, `attention.v2.py`), else the one kata whose
    every function it defines."""
    ids = set(catalog.ids())
    named = file.name.split(".", 1)[0]
    if named in ids:
        return catalog.get(named)
    how = f"name the kata: `dlprep grade KATA --file {file}`"
    try:
        defined = top_level_names(file.read_text(encoding="utf-8"))
    except SyntaxError as exc:
        raise KataNotInferred(f"{file} does not parse (line {exc.lineno}: {exc.msg}), so its kata cannot be told; {how}.") from None
    complete = tuple(k.id for k in catalog.katas if set(k.functions) <= defined)
    if len(complete) == 1:
        return catalog.get(complete[0])
    if complete:
        raise KataNotInferred(f"{file} defines the functions of several katas ({', '.join(complete)}); {how}.", complete)
    partial = tuple(k.id for k in catalog.katas if set(k.functions) & defined)
    if partial:
        missing = "; ".join(
            f"{kata.id} also needs {', '.join(f for f in kata.functions if f not in defined)}"
            for kata in map(catalog.get, partial)
        )
        raise KataNotInferred(f"{file} defines only part of a kata ({missing}); {how}.", partial)
    raise KataNotInferred(f"{file} defines none of the functions of any kata, and its name is no kata id; {how}.")
