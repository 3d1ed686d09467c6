"""Parameters named otherwise than the contract: a right function is graded by position.

Cases call a kata's functions with the contract's parameter names (`softmax(z=..., axis=...)`).
`def softmax(x, axis=-1)` is right all the same, as every caller by position finds, so a contract
parameter the learner's function lacks by name goes to the learner's parameter in its place, when
that one can be passed by name and is not itself one of the contract's names (then the order
differs, and that is the learner's to fix). The grade notes the renaming: code calling the function
by the contract's names would fail. Methods and constructors of classes are called as written.
"""

from __future__ import annotations

import ast
import functools
import inspect
from dataclasses import dataclass
from typing import Any, Callable, Sequence


@dataclass(frozen=True)
class Parameter:
    name: str
    by_name_or_position: bool
    """An ordinary parameter: neither positional-only, keyword-only nor `*args`/`**kwargs`."""


def renames(contract: Sequence[str], learner: Sequence[Parameter]) -> dict[str, str]:
    """{contract name: the learner's name in its place} for each contract parameter missing by name."""
    theirs = {p.name for p in learner}
    ours = set(contract)
    found = {}
    for index, name in enumerate(contract):
        if name in theirs or index >= len(learner):
            continue
        candidate = learner[index]
        if candidate.by_name_or_position and candidate.name not in ours:
            found[name] = candidate.name
    return found


def contract(stub_source: str, functions: Sequence[str]) -> dict[str, list[str]]:
    """The parameter names, in order, of each of `functions` the kata's stub defines at top level."""
    wanted = set(functions)
    return {
        node.name: [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
        for node in ast.parse(stub_source).body
        if isinstance(node, ast.FunctionDef) and node.name in wanted
    }


def adapt(module: Any, parameters: dict[str, list[str]]) -> list[str]:
    """Put an adapter in place of each function of `module` whose parameters are renamed, and say
    so for each. Runs in the learner's process, on the submission's own functions, whatever name
    they were defined under (`softmax = _softmax`)."""
    said = []
    for name, names in parameters.items():
        function = getattr(module, name, None)
        if not inspect.isfunction(function):
            continue
        try:
            mapping = renames(names, _parameters(inspect.signature(function).parameters.values()))
        except Exception:  # noqa: BLE001 - a signature the submission made unreadable: called as written
            continue
        if mapping:
            setattr(module, name, _called_by_position(function, mapping))
            theirs, ours = ", ".join(f"`{n}`" for n in mapping.values()), ", ".join(f"`{n}`" for n in mapping)
            said.append(f"`{name}` calls {theirs} what the contract calls {ours}: graded by position, "
                        f"but a call by the contract's names would fail")
    return said


def _parameters(signature: Sequence[inspect.Parameter]) -> list[Parameter]:
    return [Parameter(p.name, p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in signature]


def _called_by_position(function: Callable, mapping: dict[str, str]) -> Callable:
    @functools.wraps(function)
    def call(*args, **kwargs):
        return function(*args, **{mapping.get(key, key): value for key, value in kwargs.items()})

    return call
